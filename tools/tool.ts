// What a tool is: one object with its schema, a one-line description of a
// call for the UI, and an execute function. Tools import nothing from src/.
import type { AppliedChangeSet } from './changes/file-changes.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { Workspace } from './workspace/workspace.js';

export { ToolError } from './tool-error.js';

/**
 * read: never changes anything, never asks.
 * edit: changes files in the workspace; asks unless the mode allows edits.
 * exec: runs a command; asks unless the mode allows commands.
 */
export type ToolKind = 'read' | 'edit' | 'exec';

export interface FileChangeSummary {
  path: string;
  /** For moves, the new path. */
  movedTo?: string;
  change: 'add' | 'update' | 'delete' | 'move';
  added: number;
  removed: number;
}

/** What a tool shows the user before it changes anything or runs a command. */
export interface ApprovalRequest {
  tool: string;
  kind: Exclude<ToolKind, 'read'>;
  /** One line: "Edit src/a.ts, src/b.ts" or "Run npm test". */
  title: string;
  /** Unified diff of every file the edit touches. */
  diff?: string;
  files?: FileChangeSummary[];
  /** The exact command line, for exec requests. */
  command?: string;
  /** Whether the command runs inside the OS sandbox. */
  sandboxed?: boolean;
  /** Something the user should weigh, e.g. "touches test files". */
  warning?: string;
  /** Set when the edit records a git commit: it asks in every mode but full-auto. */
  commit?: { message: string };
  /** A call of an MCP server's tool: it runs outside the sandbox, wherever that server runs. */
  mcp?: {
    server: string;
    /** The tool's name on the server (the request's `tool` is the name the model used). */
    tool: string;
    /** The server comes from the project config: it asks even in full-auto unless a rule allows it. */
    fromProject: boolean;
  };
}

export type ApprovalOutcome =
  | {
      approved: true;
      /** Nobody was asked about this call: the mode, the policy or an earlier "always" allowed it. */
      unasked?: true;
    }
  | {
      approved: false;
      /** Who said no: the user, a policy or rule, or a headless run that cannot ask. */
      by: 'user' | 'policy' | 'headless';
      /** The user's words to the model, when they gave any. */
      feedback?: string;
    };

/** Long-lived things a mode gives every tool call (one field per service). */
export interface ToolServices {
  /** A per-user directory where tools may keep caches (e.g. the symbol index); safe to delete. */
  cacheDir?: string;
  /** Where commands run (bubblewrap, or directly when it cannot); without it, exec tools refuse. */
  sandbox?: Sandbox;
  /** The project's test command, when the user set one (config `testCommand`, `fix --test-cmd`). */
  testCommand?: string;
}

export interface ToolContext extends ToolServices {
  workspace: Workspace;
  signal: AbortSignal;
  /** Ask the approval policy (and, if it says so, the user) before a change. */
  ask(request: ApprovalRequest): Promise<ApprovalOutcome>;
  /** Tell the session about applied changes (undo, the session diff, the symbol index). */
  onChangesApplied?(changes: AppliedChangeSet): void;
  /**
   * Paths the session's recent tool calls read, searched or changed, most
   * recent first: what the model is working on (search results near them rank first).
   */
  recentPaths?: readonly string[];
}

export interface ToolResult {
  /** Exactly the text the model reads. */
  output: string;
  /** Structured result for `--json`, the UI and tests. */
  data?: unknown;
  /** The call failed; the output explains why in words the model can act on. */
  isError?: boolean;
  /** A few words for the UI ("42 lines", "3 matches in 2 files"). */
  summary?: string;
  /** How the model can see what truncation cut (e.g. "read_file with start_line"). */
  moreHint?: string;
}

export interface Tool<Args = any> {
  name: string;
  kind: ToolKind;
  /** What the model is told; loaded from prompts/tools/<name>.md. */
  description: string;
  /** JSON schema of the arguments object. */
  parameters: Record<string, unknown>;
  /** One line for the UI: what this call does ("read src/a.ts:10-40"). */
  describe(args: Args): string;
  /**
   * Maps the spellings a model reaches for (other field names, a bare string) onto the schema,
   * before validation. It gets the parsed JSON, or the raw text when the arguments were not JSON.
   */
  normalizeArguments?(value: unknown): unknown;
  /**
   * Who provides a tool that comes and goes (an MCP server, and its own name for the tool). Two tools
   * of one name from different origins are different tools: a call approved for one never runs the other.
   */
  origin?: string;
  execute(args: Args, ctx: ToolContext): Promise<ToolResult>;
}

export function defineTool<Args>(tool: Tool<Args>): Tool<Args> {
  return tool;
}

/**
 * The tool result for a change or command that was not approved, worded so
 * the model knows what happened and what to do instead.
 */
export function notApprovedResult(outcome: Exclude<ApprovalOutcome, { approved: true }>, action: string): ToolResult {
  switch (outcome.by) {
    case 'user':
      return {
        isError: true,
        summary: 'rejected',
        output: outcome.feedback?.trim()
          ? `The user rejected ${action}. Their feedback: ${outcome.feedback.trim()}`
          : `The user rejected ${action} without a reason. Ask them what they want, or take a different approach.`,
      };
    case 'headless':
      return {
        isError: true,
        summary: 'not approved (headless)',
        output:
          `${capitalize(action)} was not applied: this run cannot ask the user for approval. ` +
          'Do not retry it. Finish the task and describe the change in your answer.',
      };
    case 'policy':
      return {
        isError: true,
        summary: 'refused by policy',
        output: `${capitalize(action)} is not allowed by the approval rules. Do not retry it.`,
      };
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
