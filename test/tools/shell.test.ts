// The shell tool: one approved command in the sandbox, its exit code and
// output as the model reads them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import { shellTool, type ShellArgs, type ShellData } from '../../tools/shell.js';
import type { ApprovalOutcome, ApprovalRequest, ToolResult } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

async function shell(
  args: ShellArgs,
  options: { answer?: ApprovalOutcome; shellTimeoutMs?: number; sandbox?: boolean } = {},
): Promise<{ result: ToolResult; asked: ApprovalRequest[]; root: string }> {
  const repo = makeTempRepo({ 'src/a.txt': 'alpha\n' });
  repos.push(repo);
  const asked: ApprovalRequest[] = [];
  const result = await shellTool.execute(args, {
    workspace: await Workspace.open(repo.root),
    signal: new AbortController().signal,
    ...(options.sandbox === false
      ? {}
      : {
          sandbox: new Sandbox({
            enabled: true,
            env: process.env,
            ...(options.shellTimeoutMs ? { shellTimeoutMs: options.shellTimeoutMs } : {}),
          }),
        }),
    ask: async (request) => {
      asked.push(request);
      return options.answer ?? { approved: true };
    },
  });
  return { result, asked, root: repo.root };
}

describe('shell', () => {
  it('runs an approved command in the sandbox and returns its exit code and output', async () => {
    const { result, asked } = await shell({ command: 'cat a.txt; ls missing; exit 2', workdir: 'src' });
    expect(asked).toEqual([
      {
        tool: 'shell',
        kind: 'exec',
        title: 'Run cat a.txt; ls missing; exit 2',
        command: 'cat a.txt; ls missing; exit 2',
        sandboxed: true,
      },
    ]);
    expect(result.output).toMatch(
      /^Exit code 2 \(\d+ ms\)\nalpha\nls: cannot access 'missing': No such file or directory$/,
    );
    expect(result).toMatchObject({ isError: false, summary: 'exit 2', data: { exitCode: 2, sandboxed: true } });
  });

  it('does not run a command the user rejected, and passes their words on', async () => {
    const { result, root } = await shell(
      { command: 'touch made.txt' },
      { answer: { approved: false, by: 'user', feedback: 'not now' } },
    );
    expect(result.output).toBe('The user rejected this command. Their feedback: not now');
    expect(existsSync(path.join(root, 'made.txt'))).toBe(false);
  });

  it('stops a command at the time limit and says so', async () => {
    const { result } = await shell({ command: 'echo begun; sleep 20' }, { shellTimeoutMs: 300 });
    expect(result.output).toMatch(
      /^Timed out after 300 ms; the command and everything it started were stopped\.\nbegun$/,
    );
    expect(result).toMatchObject({
      isError: true,
      summary: 'timed out',
      data: { timedOut: true } as Partial<ShellData>,
    });
  });

  it('says how much of a long output was cut from the middle', async () => {
    const { result } = await shell({ command: 'seq 1 50000' });
    expect(result.output).toMatch(
      /^Exit code 0 \(.*\) · \d+ characters cut from the middle \(to see them, write the output to a file and grep it\)\n1\n2\n/,
    );
    expect(result.output.endsWith('49999\n50000')).toBe(true);
    expect(result.output.length).toBeLessThan(12_500);
  });

  it('refuses a working directory outside the repository', async () => {
    await expect(shell({ command: 'ls', workdir: '../..' })).rejects.toThrow(/outside the repository/);
  });

  it('refuses to run where the mode gives it no sandbox service', async () => {
    await expect(shell({ command: 'ls' }, { sandbox: false })).rejects.toThrow(/cannot run commands in this mode/);
  });
});
