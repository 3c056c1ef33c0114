// The view state of the terminal UI and the pure reducer that folds agent and
// session events into it. Finished things become transcript items (printed
// once, above the live area); the turn in progress stays live until each of
// its parts is done.
import type { ApprovalDecider, ApprovalRequest } from '../agent/events.js';
import { plural } from '../../tools/text/plural.js';
import { formatTokens } from './format.js';
import type { ReviewView } from './review-view.js';
import type { ChoiceOption, GitInfo, ModelStatus, SessionInfo, Tone, UiEvent } from './session.js';

export interface ToolDecision {
  approved: boolean;
  by: ApprovalDecider;
  feedback?: string;
}

type ItemBody =
  | { kind: 'welcome'; version: string; cwd: string }
  | { kind: 'user'; text: string }
  | { kind: 'reasoning'; text: string; durationMs: number }
  | { kind: 'preamble'; text: string }
  /** A change or command the user is asked about: the diff or command, printed in full once. */
  | { kind: 'proposal'; request: ApprovalRequest }
  | {
      kind: 'tool';
      name: string;
      /** What the call does, e.g. "read src/a.ts". */
      summary: string;
      ok: boolean;
      /** A few words about the result, e.g. "42 lines". */
      resultSummary?: string;
      output: string;
      durationMs: number;
      decision?: ToolDecision;
      /** The applied diff, when it was not already shown as a proposal. */
      diff?: string;
    }
  | { kind: 'answer'; text: string }
  | { kind: 'message'; tone: Tone; text: string; diff?: string }
  | { kind: 'review'; review: ReviewView };

export type TranscriptItem = ItemBody & { id: number };

export type StreamKind = 'reasoning' | 'preamble' | 'answer';

export interface RunningTool {
  id: string;
  name: string;
  summary: string;
  startedAt: number;
  decision?: ToolDecision;
  diff?: string;
  /** The user was shown the change as a proposal. */
  proposed: boolean;
}

export interface LiveTurn {
  startedAt: number;
  /** The text the model is streaming now. */
  stream?: { kind: StreamKind; text: string; startedAt: number };
  tool?: RunningTool;
  interrupting: boolean;
}

export interface LiveTask {
  label: string;
  startedAt: number;
  interrupting: boolean;
  /** A line of progress under the label (bytes downloaded, the files being reviewed). */
  detail?: string;
  tool?: RunningTool;
}

export interface StatusView {
  info?: SessionInfo;
  model: ModelStatus;
  git?: GitInfo;
  /** Tokens in the context after the last generation. */
  contextTokens?: number;
  contextSize?: number;
  tokensPerSecond?: number;
}

export interface ViewState {
  items: TranscriptItem[];
  nextId: number;
  /** Bumped when the whole transcript must be printed again (cleared, details toggled). */
  epoch: number;
  turn?: LiveTurn;
  /** Work outside a turn that holds the session (/compact, /fix, a download), and the tool it runs itself. */
  task?: LiveTask;
  approval?: { id: string; request: ApprovalRequest };
  confirm?: { id: string; title: string; body?: string };
  choice?: { id: string; title: string; body?: string; options: ChoiceOption[]; cancel: string };
  queued: string[];
  /** Reasoning and tool output in full instead of folded. */
  expanded: boolean;
  status: StatusView;
}

/** Actions of the UI itself, beside the events it is sent. */
export type ViewAction =
  | UiEvent
  | { type: 'view.toggleExpanded' }
  /** The terminal changed width: print the transcript again at the new width. */
  | { type: 'view.reprint' };

export function initialState(welcome: { version: string; cwd: string }): ViewState {
  return {
    items: [{ id: 0, kind: 'welcome', ...welcome }],
    nextId: 1,
    epoch: 0,
    queued: [],
    expanded: false,
    status: { model: { state: 'starting' } },
  };
}

/** Folds one action, which happened at `at` (milliseconds), into the state. */
export function reduce(state: ViewState, action: ViewAction, at: number): ViewState {
  switch (action.type) {
    case 'turn.started': {
      // A flow's turn (/fix, /init) is shown by what it is for: the flow wrote its prompt, not the user.
      const next = push(
        state,
        action.title ? { kind: 'message', tone: 'info', text: action.title } : { kind: 'user', text: action.prompt },
      );
      return { ...next, turn: { startedAt: at, interrupting: false } };
    }
    case 'reasoning.delta':
    case 'preamble.delta':
    case 'answer.delta':
      return appendStream(state, action.type.slice(0, -'.delta'.length) as StreamKind, action.delta, at);
    case 'tool.call': {
      const tool: RunningTool = {
        id: action.id,
        name: action.name,
        summary: action.summary,
        startedAt: at,
        proposed: false,
      };
      return withTool(flushStream(state, at), tool);
    }
    case 'approval.requested': {
      const next = push(state, { kind: 'proposal', request: action.request });
      const tool = runningTool(next);
      return withTool(
        { ...next, approval: { id: action.id, request: action.request } },
        tool && { ...tool, proposed: true },
      );
    }
    case 'approval.decided': {
      const decision: ToolDecision = {
        approved: action.approved,
        by: action.by,
        ...(action.feedback ? { feedback: action.feedback } : {}),
      };
      const approval = state.approval?.id === action.id ? undefined : state.approval;
      const tool = runningTool(state);
      const next: ViewState = { ...state };
      if (approval) next.approval = approval;
      else delete next.approval;
      if (tool?.id !== action.id) return next;
      // A call can ask twice (a patch, then the tests it re-runs): what the user said stays shown.
      const shown = tool.decision?.by === 'user' && decision.by !== 'user' && decision.approved;
      return shown ? next : withTool(next, { ...tool, decision });
    }
    case 'changes.applied': {
      const tool = runningTool(state);
      if (!tool) return push(state, { kind: 'message', tone: 'info', text: 'Files changed.', diff: action.diff });
      return withTool(state, { ...tool, diff: action.diff });
    }
    case 'tool.result': {
      const running = runningTool(state);
      const tool = running?.id === action.id ? running : undefined;
      const next = push(state, {
        kind: 'tool',
        name: action.name,
        summary: tool?.summary ?? action.name,
        ok: action.ok,
        ...(action.summary ? { resultSummary: action.summary } : {}),
        output: action.output,
        durationMs: action.durationMs,
        ...(tool?.decision ? { decision: tool.decision } : {}),
        ...(tool?.diff && !tool.proposed ? { diff: tool.diff } : {}),
      });
      return withTool(next, undefined);
    }
    case 'generation.completed': {
      const next = flushStream(state, at);
      const { usage } = action;
      const contextSize = usage.contextSize ?? next.status.contextSize;
      return {
        ...next,
        status: {
          ...next.status,
          contextTokens: usage.promptTokens + (usage.cachedPromptTokens ?? 0) + usage.outputTokens,
          ...(contextSize !== undefined ? { contextSize } : {}),
          ...(usage.tokensPerSecond !== undefined ? { tokensPerSecond: usage.tokensPerSecond } : {}),
        },
      };
    }
    case 'model.notice':
      return push(state, { kind: 'message', tone: 'warning', text: action.message });
    case 'turn.completed': {
      let next = flushStream(state, at);
      // Inside a task (/fix, /init) the task says how an interrupted turn left things.
      const ending = action.stopReason === 'aborted' && state.task ? undefined : endingMessage(action);
      if (ending) next = push(next, ending);
      const { turn: _turn, approval: _approval, ...rest } = next;
      return rest;
    }
    case 'session.info':
      return { ...state, status: { ...state.status, info: { ...defaultInfo(state.status.info), ...action.info } } };
    case 'model.status': {
      const contextSize =
        action.status.state === 'ready' && action.status.contextSize !== undefined
          ? action.status.contextSize
          : state.status.contextSize;
      return {
        ...state,
        status: { ...state.status, model: action.status, ...(contextSize !== undefined ? { contextSize } : {}) },
      };
    }
    case 'git.status': {
      const { git: _old, ...status } = state.status;
      return { ...state, status: action.git ? { ...status, git: action.git } : status };
    }
    case 'message':
      return push(state, {
        kind: 'message',
        tone: action.tone,
        text: action.text,
        ...(action.diff ? { diff: action.diff } : {}),
      });
    case 'review.shown':
      return push(state, { kind: 'review', review: action.review });
    case 'input.echo':
      return push(state, { kind: 'user', text: action.text });
    case 'queue.changed':
      return { ...state, queued: action.queued };
    case 'turn.interrupting':
      if (state.turn) return { ...state, turn: { ...state.turn, interrupting: true } };
      return state.task ? { ...state, task: { ...state.task, interrupting: true } } : state;
    case 'task.started':
      return { ...state, task: { label: action.label, startedAt: at, interrupting: false } };
    case 'task.progress':
      return state.task ? { ...state, task: { ...state.task, detail: action.text } } : state;
    case 'task.finished': {
      const { task: _done, approval: _approval, ...rest } = state;
      return rest;
    }
    case 'context.usage':
      return {
        ...state,
        status: { ...state.status, contextTokens: action.usedTokens, contextSize: action.contextSize },
      };
    case 'context.elided':
      return push(state, {
        kind: 'message',
        tone: 'info',
        text: `Context: ${plural(action.toolOutputs, 'old tool output')} replaced by a note (${formatTokens(action.tokensBefore)} → ${formatTokens(action.tokensAfter)} tokens).`,
      });
    case 'context.compacting':
      return push(state, {
        kind: 'message',
        tone: 'info',
        text: `Compacting the conversation (${formatTokens(action.tokensBefore)} tokens)${action.trigger === 'auto' ? ': the context is nearly full' : ''}…`,
      });
    case 'context.compacted':
      return push(state, {
        kind: 'message',
        tone: 'info',
        text: `Compacted: ${formatTokens(action.tokensBefore)} → ${formatTokens(action.tokensAfter)} tokens; the model goes on from a summary.`,
      });
    case 'context.compaction_failed':
      return push(state, {
        kind: 'message',
        tone: 'warning',
        text: `Compaction failed (${action.message}); the conversation stays as it was.`,
      });
    case 'confirm.requested':
      return {
        ...state,
        confirm: { id: action.id, title: action.title, ...(action.body ? { body: action.body } : {}) },
      };
    case 'confirm.answered': {
      if (state.confirm?.id !== action.id) return state;
      const { confirm: _answered, ...rest } = state;
      return rest;
    }
    case 'choice.requested': {
      const { type: _type, ...choice } = action;
      return { ...state, choice };
    }
    case 'choice.answered': {
      if (state.choice?.id !== action.id) return state;
      const { choice: _answered, ...rest } = state;
      return rest;
    }
    case 'transcript.cleared': {
      const { contextTokens: _forgotten, ...status } = state.status;
      return { ...state, items: [], epoch: state.epoch + 1, status };
    }
    case 'transcript.replay':
      // Folded at the times they happened, so reasoning shows how long it took then.
      return action.events.reduce((next, { at: then, event }) => reduce(next, event, then), state);
    case 'view.toggleExpanded':
      return { ...state, expanded: !state.expanded, epoch: state.epoch + 1 };
    case 'view.reprint':
      return { ...state, epoch: state.epoch + 1 };
    default:
      return state;
  }
}

/** The tool running now: the turn's, or one a task runs itself (the test runs of /fix). */
function runningTool(state: ViewState): RunningTool | undefined {
  return state.turn ? state.turn.tool : state.task?.tool;
}

/** Sets (or, with undefined, clears) the running tool of the turn, or else of the task. */
function withTool(state: ViewState, tool: RunningTool | undefined): ViewState {
  if (state.turn) return { ...state, turn: replaceTool(state.turn, tool) };
  if (state.task) return { ...state, task: replaceTool(state.task, tool) };
  return state;
}

function replaceTool<T extends { tool?: RunningTool }>(holder: T, tool: RunningTool | undefined): T {
  const { tool: _old, ...rest } = holder;
  return (tool ? { ...rest, tool } : rest) as T;
}

function push(state: ViewState, item: ItemBody): ViewState {
  return { ...state, items: [...state.items, { ...item, id: state.nextId }], nextId: state.nextId + 1 };
}

function appendStream(state: ViewState, kind: StreamKind, delta: string, at: number): ViewState {
  if (!state.turn) return state;
  const current = state.turn.stream;
  if (current?.kind === kind) {
    return { ...state, turn: { ...state.turn, stream: { ...current, text: current.text + delta } } };
  }
  const next = flushStream(state, at);
  return { ...next, turn: { ...next.turn!, stream: { kind, text: delta, startedAt: at } } };
}

/** Moves the text being streamed into the transcript. */
function flushStream(state: ViewState, at: number): ViewState {
  const stream = state.turn?.stream;
  if (!state.turn || !stream) return state;
  const { stream: _done, ...turn } = state.turn;
  const cleared = { ...state, turn };
  const text = stream.text.trim();
  if (text === '') return cleared;
  switch (stream.kind) {
    case 'reasoning':
      return push(cleared, { kind: 'reasoning', text, durationMs: Math.max(0, at - stream.startedAt) });
    case 'preamble':
      return push(cleared, { kind: 'preamble', text });
    case 'answer':
      return push(cleared, { kind: 'answer', text });
  }
}

function endingMessage(event: Extract<UiEvent, { type: 'turn.completed' }>): ItemBody | undefined {
  switch (event.stopReason) {
    case 'answer':
      return undefined;
    case 'aborted':
      return { kind: 'message', tone: 'warning', text: 'Interrupted. Tell the model what to do instead.' };
    case 'max_steps':
      return {
        kind: 'message',
        tone: 'warning',
        text: `Stopped after ${event.usage.toolCalls} tool calls without a final answer. Say "continue" to go on, or raise --max-steps.`,
      };
    case 'output_limit':
      return {
        kind: 'message',
        tone: 'warning',
        text: event.error
          ? `${event.error.message}\n${event.error.hint ?? ''}`.trim()
          : 'The answer reached the output limit.',
      };
    case 'error': {
      const error = event.error;
      const text = error ? `${error.message}${error.hint ? `\n${error.hint}` : ''}` : 'The turn failed.';
      return { kind: 'message', tone: 'error', text };
    }
  }
}

function defaultInfo(info: SessionInfo | undefined): SessionInfo {
  return info ?? { model: '', backend: '', approvalMode: '', reasoningEffort: '', sandbox: 'n/a' };
}
