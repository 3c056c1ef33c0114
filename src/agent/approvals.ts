// Whether a change or command may go ahead: a pure function of the request,
// the approval mode and the rules the user has granted, tested from a table.
import type { ApprovalRequest } from '../../tools/tool.js';
import { mcpRuleMatches } from '../mcp/tool-name.js';
import { isReadOnlyCommand } from './read-only-commands.js';

export const APPROVAL_MODES = ['suggest', 'auto-edit', 'full-auto'] as const;
/**
 * suggest: every edit and command asks.
 * auto-edit: edits are applied and the project's tests run (run_tests, in the sandbox); other commands ask.
 * full-auto: edits and sandboxed commands run without asking.
 * A git commit asks in every mode but full-auto.
 */
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export type PolicyDecision = 'allow' | 'deny' | 'ask';

/** Something the user said "always" to, for the session or saved for the project. */
export type ApprovalRule =
  | { kind: 'edit' }
  /** git commits (an edit rule does not cover them). */
  | { kind: 'commit' }
  /** Commands whose words start with these words, e.g. "npm test". */
  | { kind: 'exec'; prefix: string }
  /** Every command this tool runs, e.g. run_tests, which only ever runs the project's test command. */
  | { kind: 'tool'; tool: string }
  /** MCP tools by name: `mcp__server__tool`, or every tool of a server with `mcp__server__*`. */
  | { kind: 'mcp'; pattern: string };

export interface PolicyInput {
  request: ApprovalRequest;
  mode: ApprovalMode;
  rules: readonly ApprovalRule[];
  /** The user passed --no-sandbox: unsandboxed commands are their explicit choice. */
  unsandboxedAllowed?: boolean;
}

export interface PolicyVerdict {
  decision: PolicyDecision;
  /** Whether a mode or a user's rule decided it. */
  by: 'policy' | 'rule';
}

export function decideApproval({ request, mode, rules, unsandboxedAllowed = false }: PolicyInput): PolicyVerdict {
  if (request.commit) {
    // A commit records history: it asks in every mode but full-auto.
    if (mode === 'full-auto') return { decision: 'allow', by: 'policy' };
    if (rules.some((rule) => rule.kind === 'commit')) return { decision: 'allow', by: 'rule' };
    return { decision: 'ask', by: 'policy' };
  }
  if (request.mcp) {
    // Outside the sandbox: asks unless a rule allows it; full-auto trusts only the user's own servers.
    if (rules.some((rule) => rule.kind === 'mcp' && mcpRuleMatches(rule.pattern, request.tool))) {
      return { decision: 'allow', by: 'rule' };
    }
    if (mode === 'full-auto' && !request.mcp.fromProject) return { decision: 'allow', by: 'policy' };
    return { decision: 'ask', by: 'policy' };
  }
  if (request.kind === 'edit') {
    if (mode !== 'suggest') return { decision: 'allow', by: 'policy' };
    if (rules.some((rule) => rule.kind === 'edit')) return { decision: 'allow', by: 'rule' };
    return { decision: 'ask', by: 'policy' };
  }
  // exec: a command outside the sandbox always asks unless the user opted out of the sandbox.
  const contained = request.sandboxed === true || unsandboxedAllowed;
  if (!contained) return { decision: 'ask', by: 'policy' };
  const command = request.command ?? '';
  // A short list of read-only commands never asks, but only inside the sandbox.
  if (request.sandboxed === true && isReadOnlyCommand(command)) return { decision: 'allow', by: 'policy' };
  if (mode === 'full-auto') return { decision: 'allow', by: 'policy' };
  // Running the project's tests changes nothing the user reviews, and run_tests runs only the test command.
  if (mode === 'auto-edit' && request.tool === 'run_tests' && request.sandboxed === true) {
    return { decision: 'allow', by: 'policy' };
  }
  const granted = (rule: ApprovalRule) =>
    (rule.kind === 'exec' && commandStartsWith(command, rule.prefix)) ||
    (rule.kind === 'tool' && rule.tool === request.tool);
  if (rules.some(granted)) return { decision: 'allow', by: 'rule' };
  return { decision: 'ask', by: 'policy' };
}

/** Shell operators that chain, substitute or redirect: a command holding one is never matched by a rule. */
const COMPOUND = /[;&|`$<>\n]/;

/** Word-wise prefix match: "npm test" allows "npm test -- a.ts" but not "npm testx" or "npm test; rm -rf /". */
export function commandStartsWith(command: string, prefix: string): boolean {
  if (COMPOUND.test(command)) return false;
  const words = command.trim().split(/\s+/);
  const wanted = prefix.trim().split(/\s+/);
  return wanted.length > 0 && wanted[0] !== '' && wanted.every((word, i) => words[i] === word);
}

/**
 * The rule an "always" answer grants: all commits, all edits, every test run (its command line
 * carries a fresh report path each time), or commands that start with the same two words. None for
 * a compound command ("sleep 30; echo done"): no rule could ever match one.
 */
export function alwaysRuleFor(request: ApprovalRequest): ApprovalRule | undefined {
  if (request.commit) return { kind: 'commit' };
  if (request.mcp) return { kind: 'mcp', pattern: request.tool };
  if (request.kind === 'edit') return { kind: 'edit' };
  if (request.tool === 'run_tests') return { kind: 'tool', tool: 'run_tests' };
  const command = (request.command ?? '').trim();
  if (command === '' || COMPOUND.test(command)) return undefined;
  return { kind: 'exec', prefix: command.split(/\s+/).slice(0, 2).join(' ') };
}

export function isApprovalMode(value: string): value is ApprovalMode {
  return (APPROVAL_MODES as readonly string[]).includes(value);
}

/** What a user (or a headless run) answered to an approval request. */
export interface ApproverAnswer {
  approved: boolean;
  /** Words for the model, with a rejection. */
  feedback?: string;
  /** "Always allow": the rule to keep for the rest of the session. */
  always?: ApprovalRule;
  /** Also save `always` (a command rule) in the project config, for later sessions. */
  saveForProject?: boolean;
}

/** Asks the user; the UI, a terminal prompt, or a headless stand-in. */
export type Approver = (request: ApprovalRequest, signal: AbortSignal) => Promise<ApproverAnswer | 'headless'>;

/** For runs without a terminal: nothing that needs asking is approved. */
export const headlessApprover: Approver = async () => 'headless';

/** A config `allow` entry as a rule: `mcp__server__tool` (or `mcp__server__*`) names MCP tools, anything else a command prefix. */
export function allowRule(entry: string): ApprovalRule {
  return entry.startsWith('mcp__') ? { kind: 'mcp', pattern: entry.trim() } : { kind: 'exec', prefix: entry };
}
