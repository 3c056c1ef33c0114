// shell: one command line in the sandbox, started in a directory of the
// repository; the model reads the exit code and the output, cut to fit.
import { stat } from 'node:fs/promises';
import { askToRun, sandboxOf } from './sandbox/exec-approval.js';
import { formatDuration } from './text/format-duration.js';
import { sandboxedGitEnv } from './git/host-git.js';
import { promptText } from './package/files.js';
import { defineTool, notApprovedResult, ToolError, type ToolResult } from './tool.js';

export interface ShellArgs {
  command: string;
  workdir?: string;
}

export interface ShellData {
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  sandboxed: boolean;
  /** Characters of output left out of the middle. */
  cutChars: number;
}

/** Output the model reads (half from the start, half from the end): under the loop's 4,000-token cap. */
export const SHELL_OUTPUT_CHARS = 12_000;

/** Why git failed with "cannot run :" in a command that ran without asking, and what works instead. */
const DRIVER_NOTE =
  "[The repository's git config names a diff program (external diff, diff driver or textconv); " +
  'commands that run without asking do not run it. Add --no-ext-diff --no-textconv, or use the git tool.]';

export const shellTool = defineTool<ShellArgs>({
  name: 'shell',
  kind: 'exec',
  description: promptText('tools/shell.md'),
  parameters: {
    type: 'object',
    properties: {
      command: { type: 'string' },
      workdir: { type: 'string', description: 'Directory to run in; default the root' },
    },
    required: ['command'],
    additionalProperties: false,
  },
  describe(args) {
    const line = (args.command ?? '').split('\n', 1)[0]!;
    const dir = args.workdir && args.workdir !== '.' ? ` (in ${args.workdir})` : '';
    return `$ ${line.length > 80 ? `${line.slice(0, 79)}…` : line}${dir}`;
  },
  async execute(args, ctx): Promise<ToolResult> {
    if (args.command.trim() === '') throw new ToolError('The command is empty. Give the command line to run.');
    const sandbox = sandboxOf(ctx, 'shell');
    const dir = await ctx.workspace.resolveForRead(args.workdir ?? '.');
    const info = await stat(dir.absolute).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new ToolError(`workdir ${JSON.stringify(args.workdir)} is not a directory in the repository.`);
    }
    const state = await sandbox.state();
    const outcome = await askToRun(ctx, 'shell', args.command, state);
    if (!outcome.approved) return notApprovedResult(outcome, 'this command');
    // A command nobody said yes to (e.g. an allowed `git status`) must not start a program that the
    // repository's git config names (fsmonitor, textconv, a pager): the same overrides as on the host.
    const env = outcome.unasked ? await sandboxedGitEnv(dir.absolute) : undefined;

    const result = await sandbox.run({
      root: ctx.workspace.root,
      cwd: dir.absolute,
      command: args.command,
      mergeStderr: true,
      timeoutMs: sandbox.shellTimeoutMs,
      signal: ctx.signal,
      maxOutputChars: SHELL_OUTPUT_CHARS,
      ...(env ? { env } : {}),
    });
    const data: ShellData = {
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      durationMs: result.durationMs,
      sandboxed: result.sandboxed,
      cutChars: result.cutChars,
    };
    const took = formatDuration(result.durationMs);
    let head: string;
    if (result.timedOut) {
      head = `Timed out after ${formatDuration(sandbox.shellTimeoutMs)}; the command and everything it started were stopped.`;
    } else if (result.aborted) {
      head = 'Stopped: the user interrupted.';
    } else if (result.exitCode === null) {
      head = `Killed by ${result.signal ?? 'a signal'} after ${took}.`;
    } else {
      head = `Exit code ${result.exitCode} (${took})`;
    }
    if (result.limitNote) head += `\n${result.limitNote}`;
    if (result.cutChars > 0) {
      head += ` · ${result.cutChars} characters cut from the middle (to see them, write the output to a file and grep it)`;
    }
    let output = result.stdout.trimEnd();
    if (env && /^error: cannot run : No such file or directory$/m.test(output)) output += `\n${DRIVER_NOTE}`;
    return {
      output: `${head}\n${output === '' ? '(no output)' : output}`,
      data,
      isError: result.timedOut || result.aborted,
      summary: result.timedOut
        ? 'timed out'
        : result.aborted
          ? 'interrupted'
          : `exit ${result.exitCode ?? result.signal}`,
      moreHint: 'to see all of it, write the output to a file and grep it',
    };
  },
});
