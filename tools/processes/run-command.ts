// Runs one program in a process group of its own, so that a timeout or an
// interrupt kills it and everything it started; its output is collected up
// to a size, keeping head and tail, without colour codes.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { HeadTailText } from './head-tail-text.js';

export interface CommandRun {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal: AbortSignal;
  /** Characters kept of each stream (half from the start, half from the end). */
  maxOutputChars?: number;
  /** Every complete line of standard output, as it arrives (for streaming reporters such as `go test -json`). */
  onStdoutLine?: (line: string) => void;
  /** Bytes the program reads from file descriptor 3 (bubblewrap's --seccomp 3); written whole, then closed. */
  fd3?: Uint8Array;
  /**
   * Runs once the program has started, with its pid, while the program waits for a byte on file descriptor 4
   * (bubblewrap's --block-fd 4); the byte is sent when it returns. When it throws, the program is killed
   * without that byte and the run rejects with the error.
   */
  gate?: (pid: number) => void;
}

/** The file descriptor a gated program waits on. */
export const GATE_FD = 4;

export interface CommandOutcome {
  /** Null when the command was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Colour codes removed; the middle cut when too long. */
  stdout: string;
  stderr: string;
  /** Characters cut from the middle of stdout and stderr together. */
  cutChars: number;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

export const DEFAULT_MAX_OUTPUT_CHARS = 1_000_000;
/** After the process exits, how long a grandchild that kept the pipes open may hold up the result. */
const DRAIN_MS = 500;

/** Resolves when the command ended (or was killed); rejects only when it could not be started. */
export function runCommand(run: CommandRun): Promise<CommandOutcome> {
  const [program, ...args] = run.argv;
  if (!program) return Promise.reject(new Error('runCommand needs a program'));
  const half = Math.floor((run.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS) / 2);
  const stdout = new HeadTailText(half, half);
  const stderr = new HeadTailText(half, half);
  const started = performance.now();

  return new Promise((resolve, reject) => {
    // detached: a new session and process group, which kill(-pid) reaches as a whole.
    const child = spawn(program, args, {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: [
        'ignore',
        'pipe',
        'pipe',
        ...(run.fd3 || run.gate ? [run.fd3 ? ('pipe' as const) : ('ignore' as const)] : []),
        ...(run.gate ? ['pipe' as const] : []),
      ],
    });
    let gateFailure: unknown;
    if (run.gate && child.pid !== undefined) {
      const gate = child.stdio[GATE_FD] as Writable;
      // A program that exits before reading it must not crash the agent with EPIPE.
      gate.on('error', () => {});
      try {
        // In the same tick as the spawn: the child cannot have been reaped, so its pid is still its own.
        run.gate(child.pid);
        gate.end('go');
      } catch (error) {
        gateFailure = error;
        // Killed before the gate closes: bubblewrap goes on at end of file too, so it must never see one.
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        gate.destroy();
      }
    }
    if (run.fd3) {
      const fd3 = child.stdio[3] as NodeJS.WritableStream & { on(event: 'error', listener: () => void): void };
      // A program that exits before reading it must not crash the agent with EPIPE.
      fd3.on('error', () => {});
      fd3.end(run.fd3);
    }
    const out = child.stdout!;
    const err = child.stderr!;
    let timedOut = false;
    let aborted = false;
    let pendingLine = '';

    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const onAbort = (): void => {
      aborted = true;
      killGroup();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, run.timeoutMs);
    if (run.signal.aborted) onAbort();
    else run.signal.addEventListener('abort', onAbort, { once: true });

    out.setEncoding('utf8');
    err.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      stdout.append(chunk);
      if (!run.onStdoutLine) return;
      pendingLine += chunk;
      const lines = pendingLine.split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) run.onStdoutLine(line);
    });
    err.on('data', (chunk: string) => stderr.append(chunk));

    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const settle = (): void => {
      if (settled || !exit) return;
      settled = true;
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
      if (gateFailure !== undefined) {
        reject(gateFailure);
        return;
      }
      if (pendingLine !== '') run.onStdoutLine?.(pendingLine);
      resolve({
        exitCode: exit.code,
        signal: exit.signal,
        stdout: stripAnsi(stdout.text()),
        stderr: stripAnsi(stderr.text()),
        cutChars: stdout.cutChars + stderr.cutChars,
        timedOut,
        aborted,
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.on('error', (error) => {
      if (exit) return;
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
      settled = true;
      reject(error);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Something the command left behind may still hold the pipes; do not wait on it for ever.
      setTimeout(() => {
        out.destroy();
        err.destroy();
        child.stdio[3]?.destroy();
        child.stdio[GATE_FD]?.destroy();
        settle();
      }, DRAIN_MS).unref();
    });
    child.on('close', settle);
  });
}

/** Terminal colour and cursor sequences: noise for the model and for parsers. */
function stripAnsi(text: string): string {
  // CSI sequences (colours, cursor moves) and OSC sequences (titles, links).
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g, '');
}
