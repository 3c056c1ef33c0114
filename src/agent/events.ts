// Everything the agent loop reports while it works. The UI folds these into
// view state; `exec --json` writes one per line (documented in the README).
// Only plain data: every event survives JSON.stringify unchanged.
import type { GenerationUsage, ModelFailure } from '../model/backend.js';
import type { TestReport, TestTotals } from '../../tools/test-runners/report.js';
import type { ApprovalRequest } from '../../tools/tool.js';

export type { ApprovalRequest, FileChangeSummary } from '../../tools/tool.js';
export type { GenerationUsage, ModelFailure } from '../model/backend.js';
export type { TestReport, TestTotals } from '../../tools/test-runners/report.js';

export type TurnStopReason =
  /** The model gave a final answer. */
  | 'answer'
  /** The user interrupted. */
  | 'aborted'
  /** The turn used its budget of tool calls. */
  | 'max_steps'
  /** The model's answer reached the output limit of one generation (the `error` says which). */
  | 'output_limit'
  /** The model backend failed (after retries). */
  | 'error';

export interface TurnUsage {
  /** Prompt tokens evaluated over the turn's generations. */
  promptTokens: number;
  /** Prompt tokens reused from a cache over the turn, when the backend reports it. */
  cachedPromptTokens: number;
  outputTokens: number;
  generations: number;
  /** Generations that came out unusable (cut-off JSON, harmony debris, silence), re-sampled or not. */
  malformedGenerations: number;
  toolCalls: number;
  durationMs: number;
  /** Speed of the last generation. */
  tokensPerSecond?: number;
  /** Tokens in the context after the last generation (prompt + output), and the window size. */
  contextTokens?: number;
  contextSize?: number;
}

export type ApprovalDecider = 'policy' | 'rule' | 'user' | 'headless';

/** Compaction near the context limit, or asked for (`/compact`). */
export type CompactionTrigger = 'auto' | 'manual';

export type AgentEvent =
  /** The session log this run writes to; `resumed` when it continues an earlier one. */
  | { type: 'session.opened'; id: string; resumed: boolean; file: string }
  | {
      type: 'turn.started';
      turn: number;
      prompt: string;
      /** What the turn is for, when a flow wrote the prompt and not the user (/fix, /init). */
      title?: string;
    }
  | { type: 'reasoning.delta'; delta: string }
  | { type: 'preamble.delta'; delta: string }
  | { type: 'answer.delta'; delta: string }
  | { type: 'model.notice'; message: string }
  | { type: 'generation.completed'; usage: GenerationUsage }
  | {
      type: 'tool.call';
      id: string;
      name: string;
      /** Parsed arguments, or the raw text when it was not valid JSON. */
      arguments: unknown;
      /** One line for the UI, e.g. "read src/a.ts:1-80". */
      summary: string;
    }
  | { type: 'approval.requested'; id: string; request: ApprovalRequest }
  | {
      type: 'approval.decided';
      id: string;
      approved: boolean;
      by: ApprovalDecider;
      feedback?: string;
    }
  | {
      type: 'tool.result';
      id: string;
      name: string;
      ok: boolean;
      /** Exactly what the model reads (after truncation). */
      output: string;
      summary?: string;
      truncated: boolean;
      durationMs: number;
      data?: unknown;
    }
  /** Context used (tokens) and the window, after each generation and each reduction. */
  | { type: 'context.usage'; usedTokens: number; contextSize: number }
  /** Older tool outputs were replaced by a one-line note to free context. */
  | { type: 'context.elided'; toolOutputs: number; tokensBefore: number; tokensAfter: number }
  /** The model is summarising the conversation (no other events until it is done). */
  | { type: 'context.compacting'; trigger: CompactionTrigger; tokensBefore: number }
  | {
      type: 'context.compacted';
      trigger: CompactionTrigger;
      tokensBefore: number;
      tokensAfter: number;
      summary: string;
    }
  /** The conversation stays as it was. */
  | { type: 'context.compaction_failed'; trigger: CompactionTrigger; message: string }
  | {
      type: 'turn.completed';
      stopReason: TurnStopReason;
      answer: string;
      usage: TurnUsage;
      error?: ModelFailure;
    };

export type AgentEventSink = (event: AgentEvent) => void;

/** A file the fix session changed, net of every patch: lines added and removed since the start. */
export interface FileDiffstat {
  path: string;
  added: number;
  removed: number;
}

export interface FixSummary {
  /** passed: every test passes; failing: the budget ended first; not_run: the tests could not run. */
  outcome: 'passed' | 'failing' | 'not_run' | 'interrupted' | 'error';
  /** Agent turns used, and allowed. */
  rounds: number;
  maxRounds: number;
  /** Test ids that failed at the start and pass at the end. */
  fixed: string[];
  /** Test ids that fail at the end (build errors are counted in buildErrors). */
  stillFailing: string[];
  /** Test ids that passed or did not exist at the start and fail at the end. */
  newlyFailing: string[];
  buildErrors: number;
  /** The counts of the first and last runs, only where the runner reported them (a plain command does not). */
  before?: TestTotals;
  after?: TestTotals;
  /** How the first and last test commands exited (null: killed by a signal). */
  exitBefore?: number | null;
  exitAfter?: number | null;
  files: FileDiffstat[];
  durationMs: number;
  tokens: { prompt: number; cached: number; output: number };
  /** The model's tool calls over every round (the flow's own test runs are not counted). */
  toolCalls: number;
  /** Generations that came out unusable over every round (see TurnUsage). */
  malformedGenerations: number;
  /** Why it stopped, when not because everything passes. */
  message?: string;
}

/** What `fix` reports besides the agent's own events (`fix --json` writes both). */
export type FixEvent =
  | AgentEvent
  /** A test run by the fix flow itself: round 0 is the first, then one after each agent turn. */
  | { type: 'fix.tests'; round: number; report: TestReport }
  | { type: 'fix.completed'; summary: FixSummary };

export type FixEventSink = (event: FixEvent) => void;
