// Downloads a model's files into the cache directory: resumable (a `.partial`
// file grows until it is complete, then is renamed), verified against the
// size the server announced, cancellable, with progress. A host that cannot
// be reached fails within 10 seconds with what to do instead.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { formatBytes } from '../../tools/text/format-bytes.js';
import type { ModelReference, RemoteFile } from './model-reference.js';
import { partialPath } from './model-resolution.js';

export interface DownloadProgress {
  /** The file being fetched, its place among the model's files. */
  file: string;
  fileIndex: number;
  fileCount: number;
  /** Over all the model's files. */
  receivedBytes: number;
  /** Known once every file's size is (or from the known model's size before that). */
  totalBytes?: number;
  bytesPerSecond: number;
  etaSeconds?: number;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Longest wait for the server's answer (connecting included). */
  connectTimeoutMs?: number;
  /** Longest silence once the data flows. */
  idleTimeoutMs?: number;
  /** Milliseconds; injected by tests. */
  now?: () => number;
}

/** A download that failed; the message names the file, the hint says what to do. */
export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Leaves room inside the 10 seconds a user waits before an unreachable host is reported. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 8000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const PROGRESS_INTERVAL_MS = 200;

type RemoteModel = Extract<ModelReference, { kind: 'remote' }>;

/** Downloads every file of the model that is not complete yet; returns the path to load. */
export async function downloadModel(model: RemoteModel, options: DownloadOptions = {}): Promise<string> {
  const progress = new ProgressMeter(model, options);
  for (const [index, file] of model.files.entries()) {
    const done = await stat(file.path).catch(() => undefined);
    if (done?.isFile()) {
      progress.completed(index, done.size);
      continue;
    }
    await mkdir(path.dirname(file.path), { recursive: true });
    // A connection that broke after data arrived is resumed at once; one that brought nothing ends the download.
    for (;;) {
      const before = progress.added;
      try {
        await fetchFile(file, index, progress, options);
        break;
      } catch (error) {
        const moved = progress.added > before;
        if (options.signal?.aborted || !(error instanceof ResumableError) || !moved) {
          throw error instanceof ResumableError ? error.cause : error;
        }
      }
    }
  }
  progress.report(true);
  return model.files[0]!.path;
}

/** A fault after some data arrived: worth resuming at once. */
class ResumableError extends Error {
  constructor(override readonly cause: DownloadError) {
    super(cause.message);
  }
}

async function fetchFile(file: RemoteFile, index: number, progress: ProgressMeter, options: DownloadOptions) {
  const partial = partialPath(file.path);
  const start = (await stat(partial).catch(() => undefined))?.size ?? 0;
  const controller = new AbortController();
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop);
  let timedOut: 'connect' | 'idle' | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (kind: 'connect' | 'idle', ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = kind;
      controller.abort();
    }, ms);
  };
  const host = new URL(file.url).host;
  try {
    arm('connect', options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(file.url, {
        headers: start > 0 ? { range: `bytes=${start}-` } : {},
        signal: controller.signal,
        redirect: 'follow',
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw unreachable(file, host, timedOut === 'connect' ? 'no answer' : networkReason(error));
    }
    if (response.status === 416 && start > 0) {
      // The partial file may already hold everything; otherwise it is not a prefix of this file.
      const total = contentRangeTotal(response.headers.get('content-range'));
      await response.body?.cancel();
      if (total === start) return await rename(partial, file.path);
      await rm(partial, { force: true });
      clearTimeout(timer);
      return await fetchFile(file, index, progress, options);
    }
    if (!response.ok) throw httpError(file, response.status);

    const resumed = response.status === 206 && start > 0;
    const total = resumed
      ? contentRangeTotal(response.headers.get('content-range'))
      : numberOrUndefined(response.headers.get('content-length'));
    progress.startFile(index, resumed ? start : 0, total);
    if (!response.body) throw new ResumableError(cutShort(file, resumed ? start : 0, total));
    const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    arm('idle', idleMs);
    // A server that ignored the range sends the whole file: it replaces the partial one.
    const out = createWriteStream(partial, { flags: resumed ? 'a' : 'w' });
    let failure: unknown;
    try {
      for await (const chunk of response.body) {
        arm('idle', idleMs);
        if (!out.write(chunk)) await once(out, 'drain');
        progress.add(chunk.length);
      }
    } catch (error) {
      failure = error;
    }
    // Everything received reaches the disk, also when the connection broke: the next attempt resumes after it.
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (failure !== undefined) {
      if (options.signal?.aborted) throw failure;
      const size = (await stat(partial).catch(() => undefined))?.size ?? 0;
      throw new ResumableError(
        timedOut === 'idle'
          ? new DownloadError(
              `${host} stopped sending ${path.basename(file.path)} for ${Math.round(idleMs / 1000)} s (${formatBytes(size)} received).`,
              'Run the same command again: the download resumes where it stopped.',
            )
          : cutShort(file, size, total),
      );
    }
    const size = (await stat(partial)).size;
    if (total !== undefined && size !== total) throw new ResumableError(cutShort(file, size, total));
    await rename(partial, file.path);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}

function unreachable(file: RemoteFile, host: string, reason: string): DownloadError {
  return new DownloadError(
    `Cannot reach ${host} to download ${path.basename(file.path)} (${reason}). This machine looks offline, or ${host} is blocked here.`,
    `Download ${file.url} on a machine that can, then either run with --model PATH or put the file at ${file.path}. ` +
      'Or use an OpenAI-compatible server that serves gpt-oss: --endpoint URL.',
  );
}

function httpError(file: RemoteFile, status: number): DownloadError {
  const name = path.basename(file.path);
  if (status === 404) {
    return new DownloadError(
      `${file.url} was not found (HTTP 404).`,
      'Check the repository and file name (hf:OWNER/REPO/FILE.gguf), or run "gptoss-agent pull" for the default model.',
    );
  }
  if (status === 401 || status === 403) {
    return new DownloadError(
      `The server refused to send ${name} (HTTP ${status}): it needs an account or access token.`,
      `Download ${file.url} in a browser where you are signed in, then run with --model PATH.`,
    );
  }
  return new DownloadError(
    `The server answered HTTP ${status} for ${name}.`,
    'Try again later; a download that was cut short resumes where it stopped.',
  );
}

function cutShort(file: RemoteFile, size: number, total: number | undefined): DownloadError {
  const of = total !== undefined ? ` of ${formatBytes(total)}` : '';
  return new DownloadError(
    `The download of ${path.basename(file.path)} stopped after ${formatBytes(size)}${of}.`,
    'Run the same command again: the download resumes where it stopped.',
  );
}

/** Why fetch failed, in words: node's fetch hides the system error in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  switch (cause?.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its name does not resolve';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'no route to it';
    case 'ECONNRESET':
      return 'the connection was reset';
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}

function contentRangeTotal(header: string | null): number | undefined {
  const total = /\/(\d+)\s*$/.exec(header ?? '')?.[1];
  return total !== undefined ? Number(total) : undefined;
}

function numberOrUndefined(header: string | null): number | undefined {
  return header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
}

/** Bytes over all files, speed over the last few seconds, reported a few times a second. */
class ProgressMeter {
  private readonly sizes: (number | undefined)[];
  private readonly received: number[];
  private index = 0;
  private readonly samples: { at: number; bytes: number }[] = [];
  private lastReport = -Infinity;
  private readonly now: () => number;

  constructor(
    private readonly model: RemoteModel,
    private readonly options: DownloadOptions,
  ) {
    this.sizes = model.files.map(() => undefined);
    this.received = model.files.map(() => 0);
    this.now = options.now ?? (() => performance.now());
  }

  /** Bytes received by this process, for telling a stalled attempt from one that moved. */
  added = 0;

  completed(index: number, size: number): void {
    this.sizes[index] = size;
    this.received[index] = size;
  }

  startFile(index: number, already: number, total: number | undefined): void {
    this.index = index;
    this.received[index] = already;
    this.sizes[index] = total;
    this.report(true);
  }

  add(bytes: number): void {
    this.added += bytes;
    this.received[this.index]! += bytes;
    this.report(false);
  }

  report(force: boolean): void {
    const now = this.now();
    const receivedBytes = this.received.reduce((a, b) => a + b, 0);
    this.samples.push({ at: now, bytes: receivedBytes });
    while (this.samples.length > 2 && now - this.samples[0]!.at > 5000) this.samples.shift();
    if (!force && now - this.lastReport < PROGRESS_INTERVAL_MS) return;
    this.lastReport = now;
    const first = this.samples[0]!;
    const bytesPerSecond = now > first.at ? ((receivedBytes - first.bytes) / (now - first.at)) * 1000 : 0;
    const totalBytes = this.sizes.every((size) => size !== undefined)
      ? this.sizes.reduce<number>((a, b) => a + b!, 0)
      : this.model.known?.approxBytes;
    this.options.onProgress?.({
      file: path.basename(this.model.files[this.index]!.path),
      fileIndex: this.index,
      fileCount: this.model.files.length,
      receivedBytes,
      ...(totalBytes !== undefined ? { totalBytes } : {}),
      bytesPerSecond,
      ...(totalBytes !== undefined && bytesPerSecond > 0
        ? { etaSeconds: Math.max(0, (totalBytes - receivedBytes) / bytesPerSecond) }
        : {}),
    });
  }
}
