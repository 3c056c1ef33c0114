// Runs a command and hands its standard output to the caller one record at a
// time (lines, or NUL-separated paths), so a tool can stop a search or a
// listing as soon as it has enough instead of buffering everything.
import { spawn } from 'node:child_process';

export interface SpawnLinesOptions {
  cwd: string;
  signal: AbortSignal;
  /** Record separator: '\n' (default; a trailing '\r' is kept) or '\0'. */
  separator?: '\n' | '\0';
  /** Called for every record, without its separator; return 'stop' to end the command early. */
  onRecord(record: string): void | 'stop';
  /** How much of standard error is kept for messages. */
  maxStderrChars?: number;
  /** The command's environment; default the caller's. */
  env?: NodeJS.ProcessEnv;
}

export interface SpawnLinesResult {
  /** The exit code; null when the command was stopped or killed by a signal. */
  code: number | null;
  stderr: string;
  /** True when onRecord asked to stop and the command was ended. */
  stopped: boolean;
}

/** Spawns `command` (no shell) and streams its records; rejects with the signal's reason on abort. */
export function spawnLines(
  command: string,
  args: readonly string[],
  options: SpawnLinesOptions,
): Promise<SpawnLinesResult> {
  const { cwd, signal, onRecord } = options;
  const separator = options.separator ?? '\n';
  const maxStderr = options.maxStderrChars ?? 8000;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(command, args, {
      cwd,
      ...(options.env ? { env: options.env } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let pending = '';
    let stderr = '';
    let stopped = false;
    let settled = false;

    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      child.stdout.removeAllListeners('data');
      child.kill();
    };
    const onAbort = (): void => {
      stop();
      finish(() => reject(signal.reason));
    };
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      settle();
    };
    signal.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let start = 0;
      try {
        for (let end = pending.indexOf(separator); end !== -1; end = pending.indexOf(separator, start)) {
          const record = pending.slice(start, end);
          start = end + 1;
          if (onRecord(record) === 'stop') {
            stop();
            return;
          }
        }
      } catch (error) {
        // A consumer that throws ends the command; the error is the result.
        stop();
        finish(() => reject(error));
        return;
      }
      pending = pending.slice(start);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < maxStderr) stderr = (stderr + chunk).slice(0, maxStderr);
    });
    child.on('error', (error) => finish(() => reject(error)));
    child.on('close', (code) => {
      // The last record may lack a separator.
      if (!stopped && pending !== '') {
        try {
          onRecord(pending);
        } catch (error) {
          finish(() => reject(error));
          return;
        }
      }
      finish(() => resolve({ code: stopped ? null : code, stderr, stopped }));
    });
  });
}
