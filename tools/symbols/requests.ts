// What the symbols tool asks its worker thread, and what comes back. The
// tool runs every lookup in a fresh worker: tree-sitter parsing and loading
// the index never block the thread that draws the terminal UI.
import type { Worker } from 'node:worker_threads';
import type { DefinitionHit, DefinitionSearch, DefinitionSearchResult } from './index-query.js';
import type { RefreshStats } from './index-refresh.js';
import type { SkipState, StoredDefinition } from './index-store.js';
import type { LanguageId } from './languages.js';
import type { Definition, Reference } from './tags.js';
import { startWorker } from '../package/worker-thread.js';

export interface DefinitionsRequest {
  op: 'definitions';
  root: string;
  isGitRepo: boolean;
  rg: string | undefined;
  indexFile: string | undefined;
  search: DefinitionSearch;
  /** For ranking: see ToolContext.recentPaths. */
  recentPaths: readonly string[];
  /** How many definitions to show (the best ranked). */
  limit: number;
}

export interface OutlineRequest {
  op: 'outline';
  root: string;
  /** Relative to the root. */
  file: string;
}

export interface ReferencesRequest {
  op: 'references';
  root: string;
  /** One name, or several searched at once. */
  names: string[];
  /** Files a text search found a name in, with the 0-based rows it is on. */
  candidates: Array<{ file: string; rows: number[] }>;
  /** The index, to name the definition each reference sits in (it is read, not brought up to date). */
  indexFile?: string;
}

/** Which definitions given lines fall in: the index is brought up to date first. */
export interface EnclosingRequest {
  op: 'enclosing';
  root: string;
  isGitRepo: boolean;
  rg: string | undefined;
  indexFile: string | undefined;
  /** Files relative to the root, each with 1-based lines. */
  files: Array<{ file: string; lines: number[] }>;
}

export type SymbolRequest = DefinitionsRequest | OutlineRequest | ReferencesRequest | EnclosingRequest;

export interface ShownDefinition extends DefinitionHit {
  /** The line of code the name is on. */
  signature: string;
}

export interface DefinitionsResponse extends Omit<DefinitionSearchResult, 'hits'> {
  /** The best ranked hits, at most `limit`. */
  shown: ShownDefinition[];
  index: RefreshStats;
}

export interface OutlineResponse {
  language: LanguageId;
  definitions: Definition[];
  skipped?: SkipState;
}

export interface FileReference extends Reference {
  file: string;
  /** The innermost definition the reference sits in ("Owner.name"), when it is in one and the index was asked. */
  within?: string;
  /** For a qualified lookup: confirmed on the owner, or a member of an object whose type is unknown. */
  ownerMatch?: 'owner' | 'name';
}

export interface ReferencesResponse {
  references: FileReference[];
  /** Candidate files that were not parsed (too large, minified, generated…). */
  skippedFiles: number;
}

export interface EnclosingDefinition extends StoredDefinition {
  file: string;
  /** The line of code the name is on. */
  signature: string;
}

export interface EnclosingResponse {
  /** For each file asked about, in order: the innermost definition around each line, each once, in file order. */
  files: Array<{
    file: string;
    definitions: EnclosingDefinition[];
    /** Why the index has no definitions for the file (left out, or not among the files it lists). */
    skipped?: SkipState | 'not indexed';
  }>;
  index: RefreshStats;
}

export type ResponseTo<R extends SymbolRequest> = R extends DefinitionsRequest
  ? DefinitionsResponse
  : R extends OutlineRequest
    ? OutlineResponse
    : R extends ReferencesRequest
      ? ReferencesResponse
      : EnclosingResponse;

export type WorkerReply = { ok: true; value: unknown } | { ok: false; message: string };

/** Runs one request in a new worker thread; aborting the signal ends the thread at once. */
export function askSymbolWorker<R extends SymbolRequest>(request: R, signal: AbortSignal): Promise<ResponseTo<R>> {
  signal.throwIfAborted();
  const worker: Worker = startWorker('tools/symbols/worker', { workerData: request });
  return new Promise<ResponseTo<R>>((resolve, reject) => {
    let settled = false;
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      done();
    };
    const onAbort = (): void => settle(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (reply: WorkerReply) =>
      settle(() => (reply.ok ? resolve(reply.value as ResponseTo<R>) : reject(new Error(reply.message)))),
    );
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() =>
        reject(new Error(`its worker thread stopped without an answer (exit ${code}). Try again, or use grep.`)),
      ),
    );
  });
}
