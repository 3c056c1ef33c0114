// Runs a program briefly for a check and keeps what it printed.
import { execFile } from 'node:child_process';

export interface CommandOutcome {
  /** True when it ran and exited 0. */
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Why it did not run or failed (not found, timed out, exit code). */
  problem?: string;
}

export function runCommand(file: string, args: readonly string[], timeoutMs = 5000): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, stdout, stderr });
      const code = (error as NodeJS.ErrnoException).code;
      const problem =
        code === 'ENOENT'
          ? `${file} is not installed`
          : error.killed
            ? `${file} did not finish within ${timeoutMs / 1000} s`
            : `${file} exited with ${typeof code === 'number' ? `code ${code}` : (error.signal ?? code)}`;
      resolve({ ok: false, stdout, stderr, problem });
    });
  });
}
