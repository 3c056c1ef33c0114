// The slash commands of the interactive UI, in the order completion offers
// them.
import { APPROVAL_MODES, isApprovalMode, type ApprovalMode } from '../agent/approvals.js';
import type { UndoOutcome } from '../agent/checkpoints.js';
import type { ReasoningEffort } from '../model/backend.js';
import type { ChangePreview } from '../../tools/changes/diff.js';
import type { SlashCommandInfo, Tone } from '../ui/session.js';
import { expandCommand, type CustomCommand } from './custom-command-text.js';

/** What a command can see and do in the session. */
export interface CommandContext {
  print(text: string, tone?: Tone, diff?: string): void;
  /** A turn is running. */
  readonly busy: boolean;
  readonly approvalMode: ApprovalMode;
  setApprovalMode(mode: ApprovalMode): void;
  readonly reasoningEffort: ReasoningEffort;
  setReasoningEffort(effort: ReasoningEffort): void;
  /** Model, backend and where it runs, one fact per line. */
  describeModel(): string[];
  sessionDiff(): Promise<ChangePreview>;
  /** Reverts the session's last `count` change sets (the session log's checkpoints). */
  undo(count: number): Promise<UndoOutcome>;
  /** Messages in the conversation the model sees. */
  readonly conversationLength: number;
  /** Summarises the conversation into a short one (stoppable with Esc, like a turn). */
  compact(): Promise<void>;
  /** Has the model propose an AGENTS.md, shown as a diff to approve (stoppable with Esc). */
  init(): Promise<void>;
  /** Reviews the staged changes with a read-only agent of its own and shows the findings (stoppable with Esc). */
  review(): Promise<void>;
  /** Runs the tests and has the agent fix what fails, with this test command if given (stoppable with Esc). */
  fix(testCommand: string | undefined): Promise<void>;
  /** Forgets the conversation and clears the screen. */
  clearConversation(): void;
  exit(): void;
  readonly commands: readonly SlashCommandInfo[];
  /** The MCP servers and their state, one line each (or how to configure some). */
  mcpStatus(): string[];
  /** Sends a prompt as if the user had typed it (a custom command's expanded text). */
  sendPrompt(text: string): void;
}

export interface SlashCommand extends SlashCommandInfo {
  run(args: string, context: CommandContext): void | Promise<void>;
}

const MODE_WORDS: Record<ApprovalMode, string> = {
  suggest: 'every edit and command asks first',
  'auto-edit': 'edits are applied and tests run, other commands ask',
  'full-auto': 'edits and sandboxed commands run without asking',
};

const REASONING_EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high'];

const KEYS = [
  'enter sends · alt+enter, ctrl+j or \\ then enter: new line · ↑/↓ history',
  'esc interrupts the model or a tool · ctrl+o shows reasoning and tool output in full',
  'ctrl+c clears the input; twice quits · ctrl+d quits',
];

/** Commands that change the conversation or the files wait for the turn to end. */
function whenIdle(name: string, context: CommandContext): boolean {
  if (context.busy) context.print(`Press esc to stop the turn first, or wait for it, then /${name}.`, 'warning');
  return !context.busy;
}

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  {
    name: 'help',
    summary: 'commands and keys',
    run: (_args, context) => {
      const width = Math.max(...context.commands.map((command) => command.name.length)) + 2;
      const lines = context.commands.map((command) => `/${command.name.padEnd(width)}${command.summary}`);
      context.print([...lines, '', ...KEYS].join('\n'));
    },
  },
  {
    name: 'mode',
    summary: 'approval mode: suggest, auto-edit or full-auto',
    args: APPROVAL_MODES,
    run: (args, context) => {
      const wanted = args.trim();
      if (wanted === '') {
        const current = context.approvalMode;
        return context.print(
          `Approval mode: ${current} (${MODE_WORDS[current]}).\nChange it with /mode ${APPROVAL_MODES.join(' | ')}.`,
        );
      }
      if (!isApprovalMode(wanted)) {
        return context.print(`"${wanted}" is not an approval mode; use one of ${APPROVAL_MODES.join(', ')}.`, 'error');
      }
      context.setApprovalMode(wanted);
      context.print(`Approval mode: ${wanted} (${MODE_WORDS[wanted]}).`);
    },
  },
  {
    name: 'diff',
    summary: 'what this session changed',
    run: async (_args, context) => {
      const { diff, files } = await context.sessionDiff();
      if (files.length === 0) return context.print('This session has not changed any file.');
      const added = files.reduce((sum, file) => sum + file.added, 0);
      const removed = files.reduce((sum, file) => sum + file.removed, 0);
      const count = files.length === 1 ? '1 file' : `${files.length} files`;
      context.print(`This session changed ${count} (+${added} −${removed}):`, 'info', diff);
    },
  },
  {
    name: 'undo',
    summary: 'put back the last change the agent made (/undo N: the last N)',
    run: async (args, context) => {
      if (!whenIdle('undo', context)) return;
      const count = args.trim() === '' ? 1 : Number(args.trim());
      if (!Number.isInteger(count) || count < 1) {
        return context.print(`/undo takes a number of changes, e.g. /undo 2 (got "${args.trim()}").`, 'error');
      }
      const outcome = await context.undo(count);
      if (!outcome.ok) {
        context.print(outcome.message, 'warning');
        for (const conflict of outcome.conflicts)
          context.print(`${conflict.path}: ${conflict.reason}`, 'warning', conflict.diff);
        return;
      }
      const files = outcome.files.map((file) => `${file.change} ${file.path}`).join(', ');
      const which = outcome.undone.length === 1 ? 'the last change' : `the last ${outcome.undone.length} changes`;
      context.print(`Undid ${which} (${files}); the model hears of it with your next prompt.`, 'info', outcome.diff);
    },
  },
  {
    name: 'review',
    summary: 'review the staged changes (findings by file)',
    run: async (_args, context) => {
      if (whenIdle('review', context)) await context.review();
    },
  },
  {
    name: 'fix',
    summary: 'run the tests and fix what fails (/fix CMD: with this test command)',
    run: async (args, context) => {
      if (whenIdle('fix', context)) await context.fix(args.trim() || undefined);
    },
  },
  {
    name: 'compact',
    summary: 'summarise the conversation to free context',
    run: async (_args, context) => {
      if (!whenIdle('compact', context)) return;
      if (context.conversationLength === 0) return context.print('Nothing to compact: the conversation is empty.');
      await context.compact();
    },
  },
  {
    name: 'init',
    summary: 'have the model propose an AGENTS.md for this repository',
    run: async (_args, context) => {
      if (whenIdle('init', context)) await context.init();
    },
  },
  {
    name: 'clear',
    summary: 'start a new conversation',
    run: (_args, context) => {
      if (whenIdle('clear', context)) context.clearConversation();
    },
  },
  {
    name: 'model',
    summary: 'the model and where it runs',
    run: (args, context) => {
      const wanted = args.trim();
      if (wanted !== '') {
        return context.print(
          `Switching the model needs a restart: quit, then run gptoss-agent --model ${wanted} (add --endpoint URL for a server).`,
          'warning',
        );
      }
      context.print(context.describeModel().join('\n'));
    },
  },
  {
    name: 'reasoning',
    summary: 'reasoning effort: low, medium or high',
    args: REASONING_EFFORTS,
    run: (args, context) => {
      const wanted = args.trim();
      if (wanted === '') {
        return context.print(
          `Reasoning effort: ${context.reasoningEffort}. Change it with /reasoning low | medium | high; ctrl+o shows the reasoning in full.`,
        );
      }
      if (!(REASONING_EFFORTS as readonly string[]).includes(wanted)) {
        return context.print(`"${wanted}" is not a reasoning effort; use low, medium or high.`, 'error');
      }
      context.setReasoningEffort(wanted as ReasoningEffort);
      context.print(`Reasoning effort: ${wanted}, from the next request on.`);
    },
  },
  {
    name: 'mcp',
    summary: 'MCP servers: their state and tools',
    run: (_args, context) => context.print(context.mcpStatus().join('\n')),
  },
  { name: 'quit', summary: 'leave (ctrl+d works too)', run: (_args, context) => context.exit() },
];

/** A custom command: its prompt with the arguments filled in, sent as the user's prompt (shown in full). */
export function customSlashCommand(command: CustomCommand): SlashCommand {
  return {
    name: command.name,
    summary: `${command.summary} (${command.scope})`,
    run: (args, context) => context.sendPrompt(expandCommand(command.template, args)),
  };
}

/** Finds the command in an input line: "/mode auto-edit" → mode, "auto-edit". */
export function parseSlashCommand(
  text: string,
  commands: readonly SlashCommand[],
): { command: SlashCommand; args: string } | { unknown: string } | undefined {
  const match = /^\/([a-z][\w-]*)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  const name = match[1]!;
  const command =
    commands.find((candidate) => candidate.name === name) ?? (name === 'exit' ? quit(commands) : undefined);
  if (command) return { command, args: match[2] ?? '' };
  // "/usr/bin is missing" is a prompt, not a command.
  return match[2] === undefined ? { unknown: name } : undefined;
}

function quit(commands: readonly SlashCommand[]): SlashCommand | undefined {
  return commands.find((command) => command.name === 'quit');
}
