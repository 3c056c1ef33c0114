// What a run without a terminal refused for want of someone to ask, and the
// flag that would have allowed it: auto-edit for edits and test runs,
// full-auto (or an allow rule) for other commands and commits. A hint never
// names the mode the run already had.
import type { ApprovalRequest } from '../../tools/tool.js';
import type { ApprovalMode } from '../agent/approvals.js';
import { plural } from '../../tools/text/plural.js';

type Need = 'auto-edit' | 'full-auto' | 'terminal';

function needOf(request: ApprovalRequest): Need {
  if (request.commit) return 'full-auto';
  if (request.kind === 'edit') return 'auto-edit';
  if (request.sandboxed !== true) return 'terminal';
  return request.tool === 'run_tests' ? 'auto-edit' : 'full-auto';
}

/** One paragraph for stderr, or undefined when nothing was refused. */
export function headlessRefusalHint(refused: readonly ApprovalRequest[], mode: ApprovalMode): string | undefined {
  if (refused.length === 0) return undefined;
  const edits = refused.filter((request) => request.kind === 'edit' && !request.commit).length;
  const commits = refused.filter((request) => request.commit).length;
  const commands = refused.length - edits - commits;
  const what = [
    ...(edits ? [plural(edits, 'edit')] : []),
    ...(commits ? [plural(commits, 'commit')] : []),
    ...(commands ? [plural(commands, 'command')] : []),
  ].join(', ');
  const lines = [`Not allowed because this run cannot ask for approval: ${what}.`];
  const needs = new Set(refused.map(needOf));
  if (needs.has('full-auto')) {
    const command = refused.find((request) => needOf(request) === 'full-auto' && request.kind === 'exec')?.command;
    // The whole command, not a shorter prefix: a hint must not widen more than the run needed.
    const allowable = command !== undefined && !/[\n"\\]/.test(command) && command.trim().length <= 80;
    const allow = allowable ? `, or allow that command with "allow": ["${command.trim()}"] in the config` : '';
    lines.push(
      `Re-run with --approval full-auto to apply edits and run commands in the sandbox without asking${allow}.`,
    );
  } else if (needs.has('auto-edit') && mode === 'suggest') {
    lines.push('Re-run with --approval auto-edit to apply edits and run the tests without asking.');
  }
  if (needs.has('terminal')) {
    lines.push('Commands outside the sandbox always ask: run it on a terminal to answer.');
  }
  return lines.join('\n');
}
