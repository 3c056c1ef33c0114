// The slash commands of the interactive UI, in the order completion offers
// them. A command that belongs to a later feature says so until that feature
// replaces its `run` here.
import { APPROVAL_MODES, isApprovalMode, type ApprovalMode } from '../agent/approvals.js';
import type { ReasoningEffort } from '../model/backend.js';
import type { ChangePreview } from '../../tools/diff.js';
import type { SlashCommandInfo, Tone } from '../ui/session.js';

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
  sessionDiff(): ChangePreview;
  /** Forgets the conversation and clears the screen. */
  clearConversation(): void;
  exit(): void;
  readonly commands: readonly SlashCommandInfo[];
}

export interface SlashCommand extends SlashCommandInfo {
  run(args: string, context: CommandContext): void | Promise<void>;
}

const MODE_WORDS: Record<ApprovalMode, string> = {
  suggest: 'every edit and command asks first',
  'auto-edit': 'edits are applied, commands ask',
  'full-auto': 'edits and sandboxed commands run without asking',
};

const REASONING_EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high'];

const KEYS = [
  'enter sends · alt+enter, ctrl+j or \\ then enter: new line · ↑/↓ history',
  'esc interrupts the model or a tool · ctrl+o shows reasoning and tool output in full',
  'ctrl+c clears the input; twice quits · ctrl+d quits',
];

function notYet(name: string, summary: string, instead: string): SlashCommand {
  return {
    name,
    summary,
    run: (_args, context) => context.print(`/${name} is not available yet. ${instead}`, 'warning'),
  };
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
    run: (_args, context) => {
      const { diff, files } = context.sessionDiff();
      if (files.length === 0) return context.print('This session has not changed any file.');
      const added = files.reduce((sum, file) => sum + file.added, 0);
      const removed = files.reduce((sum, file) => sum + file.removed, 0);
      const count = files.length === 1 ? '1 file' : `${files.length} files`;
      context.print(`This session changed ${count} (+${added} −${removed}):`, 'info', diff);
    },
  },
  notYet('undo', 'put back the last change', 'Use /diff to see what this session changed and git to restore files.'),
  notYet('review', 'review the staged changes', 'Ask for a review in your own words, e.g. "review my staged changes".'),
  notYet('fix', 'run the tests and fix what fails', 'Ask in your own words, e.g. "run the tests and fix what fails".'),
  notYet('compact', 'summarise the conversation to free context', 'Use /clear to start a new conversation.'),
  {
    name: 'clear',
    summary: 'start a new conversation',
    run: (_args, context) => {
      if (context.busy) return context.print('Press esc to stop the turn first, then /clear.', 'warning');
      context.clearConversation();
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
  { name: 'quit', summary: 'leave (ctrl+d works too)', run: (_args, context) => context.exit() },
];

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
