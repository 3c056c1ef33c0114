// A session: the conversation, its events and its undo checkpoints, written
// to an append-only log as they happen, so that it can be resumed (after a
// clean exit or a kill -9) and its changes undone later, by this process or
// by `gptoss-agent undo`. The loop knows nothing of it: the session hands the
// Agent an event sink and two hooks, and reads the Agent's history back only
// through them.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { readLog, LogWriter } from './session-log.js';
import type { AppliedChangeSet } from '../../tools/changes/file-changes.js';
import type { Workspace } from '../../tools/workspace/workspace.js';
import type { BackendDescription, ChatMessage } from '../model/backend.js';
import { checkpointOf, undoCheckpoints, undoNote, type Checkpoint, type UndoOutcome } from './checkpoints.js';
import type { AgentEvent, AgentEventSink } from './events.js';
import { applyHistoryChange, closeDanglingToolCalls, type HistoryChange } from './history.js';
import { BlobStore } from './session-blobs.js';
import { lockSession, type SessionLock } from './session-lock.js';
import {
  SESSION_LOG_VERSION,
  type SessionHeader,
  type SessionRecord,
  type SessionSettings,
  type StreamKind,
} from './session-records.js';
import { findSession, newSessionId, sessionPaths, SessionError } from './session-store.js';
import { isSubstantive } from './session-substance.js';
import { eventForLog } from './logged-event.js';
import { capKeptText } from './message-cap.js';

const INTERRUPTED_CALL = 'Not run: the session was interrupted before this call finished.';

export interface OpenSessionOptions {
  /** The user state directory (agentDirs().state). */
  stateDir: string;
  workspace: Workspace;
  /** Continue a saved session: "last", an id, or the unique start of one. A new session when absent. */
  resume?: string;
  /** The model run this session is for; absent when the session is only opened to undo. */
  run?: { instructions: string; model: BackendDescription; settings: SessionSettings };
  /** Where events go after the session has recorded them (the UI, the JSONL writer). */
  emit: AgentEventSink;
  now?: () => Date;
}

/** What the Agent needs from the session; spread into AgentOptions. */
export interface SessionHooks {
  emit: AgentEventSink;
  history: readonly ChatMessage[];
  turns: number;
  onHistoryChange: (change: HistoryChange) => void;
  onChangesApplied: (changes: AppliedChangeSet) => void;
}

/** An event of an earlier run, with when it happened (milliseconds since the epoch). */
export interface RecordedEvent {
  at: number;
  event: AgentEvent;
}

export class Session {
  /**
   * Recorded events of the earlier runs of a resumed session, to redraw its transcript:
   * what the model streamed comes back as one delta per part, at the time the part began.
   */
  readonly events: RecordedEvent[] = [];
  /** Things the user should know about the resumed session (damaged lines, changed instructions). */
  readonly notes: string[] = [];
  private history: ChatMessage[] = [];
  private turns = 0;
  private checkpoints: Checkpoint[] = [];
  private nextCheckpoint = 1;
  private lastToolCall: string | undefined;
  /** The part the model is streaming, written whole when the next event comes. */
  private streaming: { kind: StreamKind; text: string; at: string } | undefined;
  private noteTaker: { addNote(text: string): void } | undefined;
  /** The most tokens the log keeps of one part of an event; unbounded until an agent is attached. */
  private messageLimit: (() => number) | undefined;
  private writeFailed = false;
  private substantive = false;

  private constructor(
    readonly id: string,
    /** The JSONL log. */
    readonly file: string,
    readonly resumed: boolean,
    private readonly log: LogWriter,
    private readonly blobs: BlobStore,
    private readonly lock: SessionLock,
    private readonly workspace: Workspace,
    private readonly downstream: AgentEventSink,
    private readonly now: () => Date,
  ) {}

  static async open(options: OpenSessionOptions): Promise<Session> {
    const now = options.now ?? (() => new Date());
    const { run } = options;
    const root = options.workspace.root;
    const instructionsHash = run ? sha256(run.instructions) : undefined;
    if (!options.resume && !run) throw new SessionError('a new session needs the model run it records');
    const id = options.resume ? (await findSession(root, options.stateDir, options.resume)).id : newSessionId(now());
    const paths = sessionPaths(options.stateDir, root, id);
    const lock = lockSession(paths.lock, id);
    let session: Session;
    try {
      const records = options.resume ? readRecords(paths.log) : undefined;
      const log = LogWriter.open(paths.log);
      session = new Session(
        id,
        paths.log,
        records !== undefined,
        log,
        new BlobStore(paths.blobs),
        lock,
        options.workspace,
        options.emit,
        now,
      );
      if (records) {
        session.replay(records.records, instructionsHash);
        if (records.skipped > 0)
          session.notes.push(`${records.skipped} damaged line(s) in the session log were skipped.`);
        if (run && instructionsHash) {
          session.write({ type: 'resumed', at: now().toISOString(), instructionsHash, model: run.model }, true);
        }
        session.repairHistory();
      } else {
        const header: SessionHeader = {
          type: 'session',
          version: SESSION_LOG_VERSION,
          id,
          root,
          createdAt: now().toISOString(),
          instructionsHash: instructionsHash!,
          model: run!.model,
          settings: run!.settings,
        };
        session.write(header, true);
      }
    } catch (error) {
      lock.release();
      throw error;
    }
    options.emit({ type: 'session.opened', id, resumed: session.resumed, file: paths.log });
    return session;
  }

  /** Wire these into the Agent (AgentOptions), then `attach` it. */
  hooks(): SessionHooks {
    return {
      emit: (event) => this.record(event),
      history: this.history,
      turns: this.turns,
      onHistoryChange: (change) => this.changeHistory(change),
      onChangesApplied: (set) => this.checkpoint(set),
    };
  }

  /**
   * The agent whose next turn should hear about undos, and whose message limit bounds what the log keeps of
   * an event. The events of the earlier runs (from a log written before that bound) are cut the same way.
   */
  attach(agent: { addNote(text: string): void; messageLimit(): number }): void {
    this.noteTaker = agent;
    this.messageLimit = () => agent.messageLimit();
    this.events.forEach((recorded, index) => {
      const event = this.forLog(recorded.event);
      if (event !== recorded.event) this.events[index] = { ...recorded, event };
    });
  }

  /** The conversation as it stands. */
  messages(): readonly ChatMessage[] {
    return this.history;
  }

  /** Change sets that can still be undone, oldest first. */
  undoable(): readonly Checkpoint[] {
    return this.checkpoints;
  }

  /**
   * Reverts the last `count` change sets (`/undo N`, `gptoss-agent undo N`).
   * Refuses, touching nothing, when a file was changed since the agent wrote it.
   */
  async undo(count = 1): Promise<UndoOutcome> {
    const available = this.checkpoints.length;
    if (!Number.isInteger(count) || count < 1) {
      return { ok: false, conflicts: [], message: `Undo takes a positive number of changes (got ${count}).` };
    }
    if (available === 0) {
      return {
        ok: false,
        conflicts: [],
        message: 'Nothing to undo: the agent has not changed any file in this session.',
      };
    }
    if (count > available) {
      return {
        ok: false,
        conflicts: [],
        message: `Only ${available} change(s) of this session can be undone; undo ${available} reverts them all.`,
      };
    }
    const chosen = this.checkpoints.slice(-count);
    const outcome = await undoCheckpoints(this.workspace, chosen, (blob) => this.blobs.get(blob));
    if (!outcome.ok) return outcome;
    this.checkpoints.splice(-count);
    this.write({ type: 'undo', at: this.now().toISOString(), checkpoints: chosen.map((c) => c.id) }, true);
    const note = undoNote(chosen);
    if (this.noteTaker) this.noteTaker.addNote(note);
    else this.changeHistory({ op: 'append', message: { role: 'user', content: note } });
    return outcome;
  }

  /** Whether the model has answered or changed a file in this session: only then is it kept. */
  get kept(): boolean {
    return this.substantive;
  }

  /**
   * Flushes the log and lets another run open the session. `dropIfEmpty`: a session the model never
   * answered (a refused connection) is removed, for a caller that did not show its id to the user.
   */
  close(options: { dropIfEmpty?: boolean } = {}): void {
    this.endStream();
    this.log.close();
    if (options.dropIfEmpty && !this.substantive) rmSync(path.dirname(this.file), { recursive: true, force: true });
    this.lock.release();
  }

  private changeHistory(change: HistoryChange): void {
    applyHistoryChange(this.history, change);
    this.write({ type: 'history', change }, change.op === 'reset');
  }

  private record(event: AgentEvent): void {
    if (event.type === 'tool.call') this.lastToolCall = event.id;
    if (event.type === 'reasoning.delta' || event.type === 'preamble.delta' || event.type === 'answer.delta') {
      this.stream(event.type.slice(0, -'.delta'.length) as StreamKind, event.delta);
    } else {
      this.endStream();
      this.write(
        { type: 'event', at: this.now().toISOString(), event: this.forLog(event) },
        event.type === 'turn.completed',
      );
    }
    this.downstream(event);
  }

  /** Deltas are gathered into one record per part: a line per token would bloat the log. */
  private stream(kind: StreamKind, delta: string): void {
    if (this.streaming?.kind !== kind) {
      this.endStream();
      this.streaming = { kind, text: '', at: this.now().toISOString() };
    }
    this.streaming.text += delta;
  }

  private endStream(): void {
    if (!this.streaming) return;
    const { kind, at } = this.streaming;
    let { text } = this.streaming;
    this.streaming = undefined;
    // As the history keeps the answer and the preamble; reasoning is bounded by the generation alone there too.
    if (kind !== 'reasoning' && this.messageLimit) text = capKeptText(text, this.messageLimit());
    this.write({ type: 'stream', at, kind, text });
  }

  /** What the log keeps of an event (see logged-event.ts); streamed parts come back as deltas. */
  private forLog(event: AgentEvent): AgentEvent {
    if (!this.messageLimit) return event;
    const limit = this.messageLimit();
    if (event.type === 'answer.delta' || event.type === 'preamble.delta') {
      const delta = capKeptText(event.delta, limit);
      return delta === event.delta ? event : { ...event, delta };
    }
    return eventForLog(event, limit);
  }

  private checkpoint(set: AppliedChangeSet): void {
    try {
      const checkpoint = checkpointOf(
        set,
        this.nextCheckpoint++,
        this.now().toISOString(),
        (bytes) => this.blobs.put(bytes),
        this.lastToolCall,
      );
      this.write({ type: 'checkpoint', checkpoint }, true);
      this.checkpoints.push(checkpoint);
    } catch (error) {
      this.downstream({
        type: 'model.notice',
        message: `This change cannot be undone: saving its checkpoint failed (${(error as Error).message}).`,
      });
    }
  }

  /** A log that cannot be written must not stop the work: say so once and go on. */
  private write(record: SessionRecord, durable = false): void {
    if (isSubstantive(record)) this.substantive = true;
    if (this.writeFailed) return;
    try {
      this.log.append(record, durable);
    } catch (error) {
      this.writeFailed = true;
      this.downstream({
        type: 'model.notice',
        message: `The session log ${this.file} cannot be written (${(error as Error).message}); this session will not be resumable.`,
      });
    }
  }

  private replay(records: unknown[], instructionsHash: string | undefined): void {
    const [header] = records as SessionRecord[];
    if (header?.type !== 'session') throw new SessionError(`${this.file} does not start with a session header.`);
    let lastTurnOpen = false;
    let hash = header.instructionsHash;
    for (const record of records as SessionRecord[]) {
      if (isSubstantive(record)) this.substantive = true;
      switch (record.type) {
        case 'resumed':
          hash = record.instructionsHash;
          break;
        case 'history':
          applyHistoryChange(this.history, record.change);
          break;
        case 'stream':
          this.events.push({ at: Date.parse(record.at), event: { type: `${record.kind}.delta`, delta: record.text } });
          break;
        case 'event':
          this.events.push({ at: Date.parse(record.at), event: record.event });
          if (record.event.type === 'turn.started') {
            this.turns = Math.max(this.turns, record.event.turn);
            lastTurnOpen = true;
          }
          if (record.event.type === 'turn.completed') lastTurnOpen = false;
          break;
        case 'checkpoint':
          this.checkpoints.push(record.checkpoint);
          this.nextCheckpoint = Math.max(this.nextCheckpoint, record.checkpoint.id + 1);
          break;
        case 'undo': {
          const undone = new Set(record.checkpoints);
          this.checkpoints = this.checkpoints.filter((c) => !undone.has(c.id));
          break;
        }
      }
    }
    if (lastTurnOpen) this.notes.push('The last turn of this session was cut off; what it finished is kept.');
    if (instructionsHash !== undefined && hash !== instructionsHash) {
      this.notes.push('The instructions changed since this session ran (AGENTS.md edited?); the new ones apply now.');
    }
  }

  /** Calls cut off by a killed process get a result, so the conversation can be sent again. */
  private repairHistory(): void {
    const repaired = closeDanglingToolCalls(this.history, INTERRUPTED_CALL);
    if (repaired.length !== this.history.length) this.changeHistory({ op: 'reset', messages: repaired });
  }
}

function readRecords(file: string) {
  try {
    return readLog(file);
  } catch (error) {
    throw new SessionError(`Cannot read the session log ${file}: ${(error as Error).message}`);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
