// The lines of a session log (version 1). Each is one JSON object with a
// `type`; readers skip types they do not know, so later versions can add some.
import type { BackendDescription } from '../model/backend.js';
import type { Checkpoint } from './checkpoints.js';
import type { AgentEvent } from './events.js';
import type { HistoryChange } from './history.js';

export const SESSION_LOG_VERSION = 1;

export type StreamKind = 'reasoning' | 'preamble' | 'answer';

/** Settings the session ran with, for the record (a resumed session uses the current ones). */
export interface SessionSettings {
  approval?: string;
  reasoning?: string;
  endpoint?: string;
  contextSize?: number;
}

/** The first line. */
export interface SessionHeader {
  type: 'session';
  version: number;
  id: string;
  /** The repository root, as a real path. */
  root: string;
  createdAt: string;
  /** SHA-256 of the instructions the model got (system prompt + AGENTS.md). */
  instructionsHash: string;
  model: BackendDescription;
  settings: SessionSettings;
}

export type SessionRecord =
  | SessionHeader
  /** The session was picked up again by a later run. */
  | { type: 'resumed'; at: string; instructionsHash: string; model: BackendDescription }
  /** The conversation changed: replayed in order, these rebuild it exactly. */
  | { type: 'history'; change: HistoryChange }
  /** An AgentEvent worth keeping (not the streaming deltas: see `stream`). */
  | { type: 'event'; at: string; event: AgentEvent }
  /** What the model streamed in one go (its reasoning, a preamble, the answer), whole, at its first delta's time. */
  | { type: 'stream'; at: string; kind: StreamKind; text: string }
  /** A change set the agent applied, with what undo needs. */
  | { type: 'checkpoint'; checkpoint: Checkpoint }
  /** These checkpoints were reverted. */
  | { type: 'undo'; at: string; checkpoints: number[] };
