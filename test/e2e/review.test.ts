// The built binary's `review` against real repositories and a loopback
// chat server that plays the model: the request it sends, what it prints,
// its exit codes, --json, --sarif, and the pre-commit hook in a real commit.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { REPORT_SCHEMA } from '../../src/review/report.js';
import { startChatServer, type ChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { runCli } from '../fixtures/cli.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SUM =
  'export function sum(items: number[]) {\n  let total = 0;\n  for (let i = 0; i < items.length; i++) total += items[i];\n  return total;\n}\n';

function repoWithStagedBug(): TempRepo {
  const repo = makeTempRepo({ 'src/math.ts': SUM, 'README.md': 'docs\n' });
  cleanups.push(() => repo.remove());
  repo.write('src/math.ts', SUM.replace('i < items.length', 'i <= items.length'));
  repo.git('add', '-A');
  return repo;
}

function answer(severity: string, extra: Record<string, unknown> = {}): ScriptedResponse {
  const finding = {
    file: 'src/math.ts',
    line: 3,
    severity,
    category: 'bug',
    title: 'Loop reads past the end',
    explanation: 'i <= items.length reads one element too many.',
    ...extra,
  };
  return { step: { reasoning: 'The bound changed.', answer: JSON.stringify({ findings: [finding] }) } };
}

async function server(respond: () => ScriptedResponse): Promise<ChatServer> {
  const started = await startChatServer(() => respond());
  cleanups.push(() => started.close());
  return started;
}

/** No user config from the machine running the tests. */
function env(repo: TempRepo): NodeJS.ProcessEnv {
  return { HOME: repo.root, XDG_CONFIG_HOME: path.join(repo.root, '.no-config') };
}

function review(repo: TempRepo, chat: ChatServer | undefined, args: string[] = []) {
  const model = chat ? ['--endpoint', chat.url, '--model', 'gpt-oss-20b'] : [];
  return runCli(['review', ...model, ...args], { cwd: repo.root, env: env(repo) });
}

describe('gptoss-agent review', () => {
  it('sends the staged hunks, prints the findings grouped by file with their lines, and exits 1 on a high one', async () => {
    const repo = repoWithStagedBug();
    const chat = await server(() => answer('high'));
    const run = await review(repo, chat);
    expect(run.code).toBe(1);
    const body = chat.chatBodies[0] as {
      messages: Array<{ role: string; content: string }>;
      tools: Array<{ function: { name: string } }>;
    };
    const prompt = body.messages.find((m) => m.role === 'user')!.content;
    expect(prompt).toContain('## src/math.ts (modified, +1 -1)');
    expect(prompt).toContain('3 +   for (let i = 0; i <= items.length; i++) total += items[i];');
    // The changed function's whole extent: from the symbol index.
    expect(prompt).toContain('- sum, defined at src/math.ts:1-5: export function sum(items: number[]) {');
    // The native surface (the default), declared as functions to a Chat Completions server.
    expect(body.tools.map((t) => t.function.name)).toEqual([
      'symbols',
      'run_tests',
      'repo_browser__search',
      'repo_browser__open_file',
    ]);
    expect(run.stdout).toContain('Reviewed the staged changes: 1 of 1 files');
    expect(run.stdout).toContain('src/math.ts\n  HIGH   bug  src/math.ts:3  Loop reads past the end');
    expect(run.stdout).toContain('3 │ +   for (let i = 0; i <= items.length; i++) total += items[i];');
    expect(run.stdout).toContain('1 finding: 1 high. 1 at or above --fail-on high.');
    expect(run.stderr).toContain('Reviewing the staged changes with gpt-oss-20b');
  });

  it.each([
    ['high', 0],
    ['medium', 1],
    ['low', 1],
    ['never', 0],
  ])('with a medium finding and --fail-on %s, exits %i', async (failOn, code) => {
    const repo = repoWithStagedBug();
    const chat = await server(() => answer('medium'));
    expect((await review(repo, chat, ['--fail-on', failOn])).code).toBe(code);
  });

  it('writes the report as JSON on stdout, matching its schema', async () => {
    const repo = repoWithStagedBug();
    const chat = await server(() => answer('low', { end_line: 4, suggestion: 'i < items.length' }));
    const run = await review(repo, chat, ['--json', '--fail-on', 'low']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    const validate = new Ajv({ allErrors: true }).compile(REPORT_SCHEMA);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report).toMatchObject({
      status: 'complete',
      failOn: 'low',
      failed: true,
      findings: [
        {
          file: 'src/math.ts',
          line: 3,
          endLine: 4,
          severity: 'low',
          suggestion: 'i < items.length',
          location: 'changed',
        },
      ],
    });
  });

  it('writes a SARIF log with --sarif', async () => {
    const repo = repoWithStagedBug();
    const chat = await server(() => answer('high'));
    const run = await review(repo, chat, ['--sarif', 'out/review.sarif']);
    expect(run.stderr).not.toContain('could not');
    expect(run.code).toBe(1);
    const log = JSON.parse(readFileSync(path.join(repo.root, 'out/review.sarif'), 'utf8')) as {
      version: string;
      runs: Array<{ results: Array<{ ruleId: string; level: string }> }>;
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results).toMatchObject([{ ruleId: 'bug', level: 'error' }]);
    // The findings are still shown on the terminal.
    expect(run.stdout).toContain('Loop reads past the end');
  });

  it('says when the SARIF log cannot be written, keeps the findings on the terminal, and leaves no temporary file', async () => {
    const repo = repoWithStagedBug();
    mkdirSync(path.join(repo.root, 'out', 'review.sarif'), { recursive: true });
    const chat = await server(() => answer('high'));
    const run = await review(repo, chat, ['--sarif', 'out/review.sarif']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`could not write the SARIF log to ${path.join(repo.root, 'out', 'review.sarif')}`);
    expect(run.stdout).toContain('Loop reads past the end');
    expect(readdirSync(path.join(repo.root, 'out'))).toEqual(['review.sarif']);
  });

  it('reviews the first commit of a repository that has no commits yet', async () => {
    const repo = makeTempRepo();
    cleanups.push(() => repo.remove());
    repo.write('src/math.ts', SUM);
    repo.git('add', '-A');
    const chat = await server(() => ({ step: { answer: '{"findings": []}' } }));
    const run = await review(repo, chat);
    expect(run.code).toBe(0);
    const body = chat.chatBodies[0] as { messages: Array<{ role: string; content: string }> };
    expect(body.messages.find((m) => m.role === 'user')!.content).toContain('## src/math.ts (new file, 5 lines)');
    expect(run.stdout).toContain('added    src/math.ts  +5 -0');
    expect(run.stdout).toContain('No findings.');
  });

  it('says when nothing is staged and exits 0, without needing a model', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a\n' });
    cleanups.push(() => repo.remove());
    repo.write('a.txt', 'changed\n');
    const run = await review(repo, undefined);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'Nothing staged to review. 1 file has unstaged changes: stage them with "git add", or run "gptoss-agent review --unstaged".\n',
    );
  });

  it('exits 3 and says why when the model cannot be reached', async () => {
    const repo = repoWithStagedBug();
    const chat = await server(() => ({ status: 401, body: { error: { message: 'invalid api key' } } }));
    const run = await review(repo, chat);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('The model failed:');
    expect(run.stdout).toContain('The review is incomplete');
  });

  it('exits 3 without a model configured', async () => {
    const repo = repoWithStagedBug();
    const run = await review(repo, undefined);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/the review could not be completed: No gpt-oss model to run(.|\n)*gptoss-agent pull/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['--staged', '--unstaged'], /give one of --staged, --unstaged, --base REF and --commit SHA/],
    [['--fail-on', 'critical'], /--fail-on must be high, medium, low or never/],
    [['--base', 'no-such-branch'], /--base "no-such-branch" is not a branch, tag or commit/],
    [['--commit=--output=x'], /--commit "--output=x" is not a branch, tag or commit/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const repo = repoWithStagedBug();
    const run = await review(repo, undefined, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('exits 2 outside a git repository', async () => {
    const dir = makeTempRepo({ 'a.txt': 'a' }, { git: false });
    cleanups.push(() => dir.remove());
    const run = await review(dir, undefined);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/review needs a git repository/);
  });
});

describe('the pre-commit hook', () => {
  /** Asynchronous: the chat server answering the hook runs in this process. */
  function commit(
    repo: TempRepo,
    ...args: string[]
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn('git', ['commit', '-m', 'change', ...args], {
      cwd: repo.root,
      env: {
        ...process.env,
        ...env(repo),
        NO_COLOR: '1',
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  }
  const commits = (repo: TempRepo) => Number(repo.git('rev-list', '--count', 'HEAD').trim());

  it('blocks a commit with a high finding, reviewing exactly what "git commit -a" commits', async () => {
    const repo = makeTempRepo({ 'src/math.ts': SUM });
    cleanups.push(() => repo.remove());
    const chat = await server(() => answer('high'));
    const install = await runCli(['review', '--install-hook', '--endpoint', chat.url, '--model', 'gpt-oss-20b'], {
      cwd: repo.root,
      env: env(repo),
    });
    expect(install.code).toBe(0);
    expect(install.stdout).toMatch(/^Installed the pre-commit hook at .*pre-commit\./);

    // Nothing staged by hand: "commit -a" stages into a temporary index that only the hook's environment names.
    repo.write('src/math.ts', SUM.replace('i < items.length', 'i <= items.length'));
    const blocked = await commit(repo, '-a');
    expect(blocked.status).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('Loop reads past the end');
    expect(commits(repo)).toBe(1);
    const prompt = (chat.chatBodies[0] as { messages: Array<{ role: string; content: string }> }).messages.find(
      (m) => m.role === 'user',
    )!.content;
    expect(prompt).toContain('3 +   for (let i = 0; i <= items.length; i++) total += items[i];');
  });

  it('lets the commit through when the review cannot run', async () => {
    const repo = repoWithStagedBug();
    const chat = await server(() => answer('high'));
    await runCli(['review', '--install-hook', '--endpoint', chat.url, '--model', 'gpt-oss-20b'], {
      cwd: repo.root,
      env: env(repo),
    });
    await chat.close();
    const result = await commit(repo);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('gptoss-agent: the review could not be completed; committing anyway.');
    expect(commits(repo)).toBe(2);
  });

  it("leaves someone else's hook alone when it cannot ask", async () => {
    const repo = repoWithStagedBug();
    const hook = path.join(repo.root, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const run = await runCli(['review', '--install-hook'], { cwd: repo.root, env: env(repo) });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /A pre-commit hook already exists at .*; it was left alone\. Run this command in a terminal/,
    );
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
    expect(existsSync(`${hook}.before-gptoss-agent`)).toBe(false);
  });
});
