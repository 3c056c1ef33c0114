// `!command` in the prompt: the user's own command line. The user typed it, so
// nothing asks; it runs where the model's commands run (the sandbox when there
// is one), its output is shown, and a note of it (command, exit code, output,
// capped) goes into the conversation for the model's next turn.
import type { Sandbox } from '../../tools/sandbox/sandbox.js';

/** Output kept for the model: the shell tool's budget, half from the start and half from the end. */
const OUTPUT_CHARS = 12_000;

export interface UserCommandResult {
  /** What the transcript shows under the command. */
  output: string;
  ok: boolean;
  /** e.g. "exit 0 · sandboxed" */
  summary: string;
  durationMs: number;
  /** The user message the model reads before its next turn. */
  note: string;
}

export async function runUserCommand(
  sandbox: Sandbox,
  root: string,
  command: string,
  signal: AbortSignal,
): Promise<UserCommandResult> {
  const result = await sandbox.run({
    root,
    cwd: root,
    command,
    mergeStderr: true,
    timeoutMs: sandbox.shellTimeoutMs,
    signal,
    maxOutputChars: OUTPUT_CHARS,
  });
  const where = result.sandboxed ? 'sandboxed' : 'NOT sandboxed';
  const ended = result.timedOut
    ? 'timed out'
    : result.aborted
      ? 'interrupted'
      : result.exitCode === null
        ? `killed by ${result.signal ?? 'a signal'}`
        : `exit ${result.exitCode}`;
  // The command's own errors are in stdout; what is left in stderr is the sandbox's (it could not start).
  const output = [result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n');
  const cut = result.cutChars > 0 ? ` (${result.cutChars} characters cut from the middle)` : '';
  return {
    output: output === '' ? '(no output)' : output,
    ok: result.exitCode === 0,
    summary: `${ended} · ${where}`,
    durationMs: result.durationMs,
    note:
      `I ran this command myself (${where}): ${command}\n` +
      `It ended with ${ended}. Its output${cut}:\n${output === '' ? '(no output)' : output}`,
  };
}
