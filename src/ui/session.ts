// What the UI needs from the session that runs the agent, as types only: the
// UI folds the events it is sent and calls these methods; it never touches the
// agent, the tools or the model itself.
import type { AgentEvent, ApprovalRequest, FileChangeSummary, ModelFailure } from '../agent/events.js';
import type { ReviewView } from './review-view.js';

/** How the model stands, as the status line shows it. */
export type ModelStatus =
  /** The session is still being set up. */
  | { state: 'starting' }
  /** No model file yet: the download offer, then the download (its progress is the task's). */
  | { state: 'absent' }
  | { state: 'loading'; /** 0..1 */ progress: number; message?: string }
  | {
      state: 'ready';
      contextSize?: number;
      device?: string;
      /** The model is reading the conversation ahead of the next prompt (tokens done of total). */
      preparing?: { done: number; total: number };
    }
  | { state: 'failed'; error: ModelFailure };

export interface SessionInfo {
  /** Model name, e.g. "gpt-oss-20b". */
  model: string;
  /** Where it runs, e.g. "127.0.0.1:8080" or "embedded". */
  backend: string;
  approvalMode: string;
  reasoningEffort: string;
  /** e.g. "on", "off", "n/a" */
  sandbox: string;
}

export interface GitInfo {
  branch: string;
  dirty: boolean;
}

export type Tone = 'info' | 'warning' | 'error';

/** What the session reports besides the agent's own events. */
export type SessionEvent =
  | { type: 'session.info'; info: Partial<SessionInfo> }
  | { type: 'model.status'; status: ModelStatus }
  | { type: 'git.status'; git: GitInfo | undefined }
  /** A tool applied changes (sent between its tool.call and tool.result). */
  | { type: 'changes.applied'; diff: string; files: FileChangeSummary[] }
  /** A review's findings (/review). */
  | { type: 'review.shown'; review: ReviewView }
  /** Words for the transcript: a slash command's output, a startup note, an error. */
  | { type: 'message'; tone: Tone; text: string; diff?: string }
  /** The user's input that is not a prompt for the model (a slash command). */
  | { type: 'input.echo'; text: string }
  /** Prompts waiting for the turn in progress to end. */
  | { type: 'queue.changed'; queued: string[] }
  | { type: 'turn.interrupting' }
  /** Work that holds the session like a turn without being one (/compact, /init). */
  | { type: 'task.started'; label: string }
  /** A line of progress under the task's label. */
  | { type: 'task.progress'; text: string }
  | { type: 'task.finished' }
  /** A yes/no question outside the agent loop (e.g. "download the model?"). */
  | { type: 'confirm.requested'; id: string; title: string; body?: string }
  | { type: 'confirm.answered'; id: string }
  /** A choice among options outside the agent loop (which saved session to continue). */
  | {
      type: 'choice.requested';
      id: string;
      title: string;
      /** Lines under the title, e.g. what a project config would change. */
      body?: string;
      options: ChoiceOption[];
      /** What esc does. */ cancel: string;
    }
  | { type: 'choice.answered'; id: string }
  | { type: 'transcript.cleared' }
  /** A resumed session's earlier turns, each event with when it happened (milliseconds). */
  | { type: 'transcript.replay'; events: readonly { at: number; event: AgentEvent }[] };

export type UiEvent = AgentEvent | SessionEvent;

export interface ChoiceOption {
  label: string;
  /** Shown dimmed after the label, e.g. "gpt-oss-20b · 2 h ago". */
  detail?: string;
}

export interface SlashCommandInfo {
  name: string;
  summary: string;
  /** Values the argument may take, offered by completion. */
  args?: readonly string[];
}

/** The user's answer to an approval request. */
export interface ApprovalAnswer {
  approved: boolean;
  feedback?: string;
  /** Allow this kind of action for the rest of the session. */
  always?: boolean;
  /** With `always` for a command: also save the rule in the project's config, for later sessions. */
  forProject?: boolean;
}

export interface UiSession {
  subscribe(listener: (event: UiEvent) => void): () => void;
  /** A prompt for the model or a slash command; queued while a turn runs. */
  submit(text: string): void;
  /** Stops the turn in progress (generation, tool or approval). */
  interrupt(): void;
  answerApproval(answer: ApprovalAnswer): void;
  answerConfirm(id: string, yes: boolean): void;
  /** The option chosen, by index, or undefined when the user pressed esc. */
  answerChoice(id: string, index: number | undefined): void;
  /** What "always" would allow for this request, e.g. "edits" or "commands starting with npm test"; undefined when nothing could (a compound command). */
  describeAlways(request: ApprovalRequest): string | undefined;
  readonly commands: readonly SlashCommandInfo[];
  /** Earlier prompts, oldest first, for up/down in the input. */
  history(): readonly string[];
  /** The repository's files (.gitignore respected) for @mentions; listed once, when first asked. */
  files?(): Promise<readonly string[]>;
  exit(): void;
}
