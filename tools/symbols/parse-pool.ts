// Parses many files for the symbol index: in the calling thread when there
// are few, else spread over worker threads that pull small batches, so a
// cold index of a large repository uses every core, each thread keeping to
// some of the languages.
import type { FileIndexResult } from './file-index.js';
import { indexSourceFile } from './file-index.js';
import { languageOf } from './languages.js';
import { TagReader } from './tags.js';
import { startWorker } from '../package/worker-thread.js';
import { AnchoredTree } from '../workspace/anchored-tree.js';

export interface ParseJob {
  path: string;
  size: number;
}

export interface ParseBatchResult extends FileIndexResult {
  path: string;
}

export interface ParseFilesOptions {
  root: string;
  jobs: readonly ParseJob[];
  /** Worker threads to use; 1 parses in this thread. */
  threads: number;
  onResult(result: ParseBatchResult): void;
}

/** Below this many files, starting threads costs more than it saves. */
export const INLINE_PARSE_LIMIT = 150;
/** Parse threads at most: with three, indexing stays under 300 MB (each one holds the grammars and a heap). */
export const MAX_PARSE_THREADS = 3;
const PARSE_THREAD_YOUNG_MB = 4;
const BATCH_SIZE = 16;

export async function parseFiles(options: ParseFilesOptions): Promise<void> {
  const { root, jobs, onResult } = options;
  if (jobs.length === 0) return;
  if (options.threads <= 1 || jobs.length < INLINE_PARSE_LIMIT) {
    const reader = await TagReader.create();
    const files = new AnchoredTree(root);
    try {
      for (const job of jobs)
        onResult({ path: job.path, ...(await indexSourceFile(reader, files, job.path, job.size)) });
    } finally {
      await files.close();
    }
    return;
  }
  const shares = shareByLanguage(jobs, options.threads);
  const threads = Array.from({ length: options.threads }, () =>
    startWorker('tools/symbols/parse-worker', {
      workerData: { root },
      // A parse thread makes only short-lived JavaScript objects; a small young generation keeps each
      // thread near 40 MB instead of 65 (measured on the benchmark corpus), at no cost in speed.
      resourceLimits: { maxYoungGenerationSizeMb: PARSE_THREAD_YOUNG_MB },
    }),
  );
  try {
    await Promise.all(
      threads.map(
        (worker, index) =>
          new Promise<void>((resolve, reject) => {
            worker.on('message', (results: ParseBatchResult[]) => {
              for (const result of results) onResult(result);
              const batch = nextBatch(shares, index);
              worker.postMessage(batch.length > 0 ? batch : null);
              if (batch.length === 0) resolve();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`a symbol parse thread stopped (exit ${code})`));
              resolve();
            });
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((worker) => worker.terminate()));
  }
}

/** A thread's run of jobs, taken from `head` by its own thread and from `tail` by one that has run out. */
interface Share {
  jobs: readonly ParseJob[];
  head: number;
  tail: number;
}

/**
 * Splits the jobs, ordered by language, into one run per thread, so each thread
 * loads only some of the grammars and their queries (up to 160 ms apiece).
 */
function shareByLanguage(jobs: readonly ParseJob[], threads: number): Share[] {
  const ordered = jobs
    .map((job) => ({ job, language: languageOf(job.path) ?? '' }))
    .sort((a, b) => (a.language < b.language ? -1 : a.language > b.language ? 1 : 0))
    .map(({ job }) => job);
  const size = Math.ceil(ordered.length / threads);
  return Array.from({ length: threads }, (_, index) => {
    const part = ordered.slice(index * size, (index + 1) * size);
    return { jobs: part, head: 0, tail: part.length };
  });
}

/** The next batch for thread `index`: from its own run, else from the end of the largest run left. */
function nextBatch(shares: Share[], index: number): ParseJob[] {
  const own = shares[index]!;
  if (own.head < own.tail) {
    const end = Math.min(own.head + BATCH_SIZE, own.tail);
    const batch = own.jobs.slice(own.head, end);
    own.head = end;
    return batch;
  }
  const largest = shares.reduce((a, b) => (b.tail - b.head > a.tail - a.head ? b : a));
  const start = Math.max(largest.head, largest.tail - BATCH_SIZE);
  const batch = largest.jobs.slice(start, largest.tail);
  largest.tail = start;
  return batch;
}
