// The built binary's `exec` mode against a real loopback chat server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { runCli } from '../fixtures/cli.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(responses: ScriptedResponse[], files: Record<string, string> = { 'hello.txt': 'hello world\n' }) {
  const server = await startChatServer(responses);
  const repo = makeTempRepo(files);
  cleanups.push(
    () => server.close(),
    () => repo.remove(),
  );
  return { server, repo };
}

function exec(server: ChatServer, repo: TempRepo, args: string[], input?: string) {
  return runCli(['exec', '--endpoint', server.url, '--model', 'gpt-oss-20b', ...args], {
    cwd: repo.root,
    ...(input !== undefined ? { input } : {}),
  });
}

const readHello: ScriptedResponse = {
  step: {
    reasoning: 'I need to read hello.txt.',
    toolCalls: [{ name: 'read_file', arguments: { path: 'hello.txt' } }],
  },
};
const patchHello: ScriptedResponse = {
  step: {
    toolCalls: [
      {
        name: 'apply_patch',
        arguments: {
          input: '*** Begin Patch\n*** Update File: hello.txt\n@@\n-hello world\n+hello there\n*** End Patch',
        },
      },
    ],
  },
};

describe('gptoss-agent exec', () => {
  it('streams the answer to stdout and progress to stderr, exit 0', async () => {
    const { server, repo } = await setUp([readHello, { step: { answer: 'It says hello world.' } }]);
    const run = await exec(server, repo, ['What does hello.txt say?']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('It says hello world.\n');
    // read_file is not offered on the native surface; the name resolves to repo_browser.open_file.
    expect(run.stderr).toContain('› open_file hello.txt');
    // The tool result reached the model.
    const second = server.chatBodies[1] as { messages: { role: string; content: string }[] };
    expect(second.messages.find((m) => m.role === 'tool')?.content).toContain('hello world');
  });

  it('writes one JSON event per line with --json', async () => {
    const { server, repo } = await setUp([readHello, { step: { answer: 'Done.' } }]);
    const run = await exec(server, repo, ['--json', 'read it']);
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['session.opened', 'turn.started']);
    expect(types).toContain('context.usage');
    expect(types).toContain('reasoning.delta');
    expect(types).toContain('tool.call');
    expect(types).toContain('tool.result');
    expect(types).toContain('answer.delta');
    expect(events.at(-1)).toMatchObject({
      type: 'turn.completed',
      stopReason: 'answer',
      answer: 'Done.',
      usage: { generations: 2, toolCalls: 1 },
    });
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ name: 'read_file', ok: true });
  });

  it('refuses an edit it cannot ask about, tells the model, and says how to allow edits', async () => {
    const { server, repo } = await setUp([patchHello, { step: { answer: 'I could not apply it.' } }]);
    const run = await exec(server, repo, ['change the greeting']);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('hello world\n');
    expect(run.stderr).toContain(
      'Not allowed because this run cannot ask for approval: 1 edit.\n' +
        'Re-run with --approval auto-edit to apply edits and run the tests without asking.\n',
    );
    const second = server.chatBodies[1] as { messages: { role: string; content: string }[] };
    expect(second.messages.find((m) => m.role === 'tool')?.content).toMatch(/cannot ask the user for approval/);
  });

  it('applies the edit with --approval auto-edit', async () => {
    const { server, repo } = await setUp([patchHello, { step: { answer: 'Changed.' } }]);
    const run = await exec(server, repo, ['--approval', 'auto-edit', 'change the greeting']);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('hello there\n');
  });

  it('keeps a preamble off stdout: a pipe gets the final answer alone', async () => {
    const preambleThenRead: ScriptedResponse = {
      step: {
        preamble: 'Reading hello.txt first.',
        toolCalls: [{ name: 'read_file', arguments: { path: 'hello.txt' } }],
      },
    };
    const { server, repo } = await setUp([
      preambleThenRead,
      { step: { answer: '## Greeting\n\nIt says hello world.' } },
    ]);
    const run = await exec(server, repo, ['What does hello.txt say?']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('## Greeting\n\nIt says hello world.\n');
    expect(run.stderr).toContain('Reading hello.txt first.\n› open_file hello.txt');
  });

  it('runs the tests in auto-edit without asking, refuses other commands, and names the flag that allows them', async () => {
    const runTests: ScriptedResponse = { step: { toolCalls: [{ name: 'run_tests', arguments: {} }] } };
    const lint: ScriptedResponse = { step: { toolCalls: [{ name: 'shell', arguments: { command: 'npm run lint' } }] } };
    const { server, repo } = await setUp([runTests, lint, { step: { answer: 'The tests pass.' } }], {
      'package.json': JSON.stringify({ scripts: { test: 'node --test', lint: 'node -e 0' } }),
      'test/ok.test.js': "const test = require('node:test');\ntest('works', () => {});\n",
    });
    const run = await exec(server, repo, ['--approval', 'auto-edit', '--json', 'run the tests, then lint']);
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; [key: string]: any });
    const results = events.filter((e) => e.type === 'tool.result');
    expect(results.map((e) => [e.name, e.ok])).toEqual([
      ['run_tests', true],
      ['shell', false],
    ]);
    expect(events.filter((e) => e.type === 'approval.requested').map((e) => e.request.tool)).toEqual(['shell']);
    const second = server.chatBodies[1] as { messages: { role: string; content: string }[] };
    expect(second.messages.find((m) => m.role === 'tool')?.content).toMatch(/^All tests passed: 0 failed, 1 passed/);
    expect(run.stderr).toContain(
      'Not allowed because this run cannot ask for approval: 1 command.\n' +
        'Re-run with --approval full-auto to apply edits and run commands in the sandbox without asking, ' +
        'or allow that command with "allow": ["npm run lint"] in the config.\n',
    );
    expect(run.stderr).not.toMatch(/--approval auto-edit/);
  });

  it('takes sampling and the context window from the project config', async () => {
    const config = JSON.stringify({ temperature: 0.7, topP: 0.9, contextSize: 5000 });
    const { server, repo } = await setUp([{ step: { answer: 'ok' } }], { '.gptoss-agent/config.json': config });
    const run = await exec(server, repo, ['--json', 'hi']);
    expect(run.code).toBe(0);
    expect(server.chatBodies[0]).toMatchObject({ temperature: 0.7, top_p: 0.9 });
    expect(run.stdout).toContain('{"type":"context.usage","usedTokens":15,"contextSize":5000}');
  });

  it('counts the request itself when the server reports no usage, for the meter and --json', async () => {
    const { server, repo } = await setUp([{ step: { answer: 'ok' }, usage: {} }]);
    const run = await exec(server, repo, ['--json', 'hi']);
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; [key: string]: any });
    // The instructions and tool definitions alone are well over a thousand o200k tokens.
    const generation = events.find((e) => e.type === 'generation.completed')!;
    expect(generation.usage).toMatchObject({ promptCountedLocally: true });
    expect(generation.usage.promptTokens).toBeGreaterThan(1000);
    expect(events.filter((e) => e.type === 'context.usage').at(-1)!.usedTokens).toBeGreaterThan(1000);
    expect(events.at(-1)!.usage.promptTokens).toBe(generation.usage.promptTokens);
  });

  it('reads the prompt from stdin', async () => {
    const { server, repo } = await setUp([{ step: { answer: 'ok' } }]);
    const run = await exec(server, repo, ['-'], 'prompt from a pipe\n');
    expect(run.code).toBe(0);
    const body = server.chatBodies[0] as { messages: { role: string; content: string }[] };
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: 'prompt from a pipe' });
  });

  it('works outside a git repository and says so', async () => {
    const server = await startChatServer([{ step: { answer: 'fine' } }]);
    const dir = makeTempRepo({ 'a.txt': 'a' }, { git: false });
    cleanups.push(
      () => server.close(),
      () => dir.remove(),
    );
    const run = await exec(server, dir, ['hi']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('fine\n');
    expect(run.stderr).toMatch(/is not a git repository/);
  });

  it('sends a byte-identical prefix on every run in the same directory', async () => {
    const { server, repo } = await setUp([{ step: { answer: 'one' } }, { step: { answer: 'two' } }]);
    await exec(server, repo, ['hi']);
    await exec(server, repo, ['hi']);
    const [first, second] = server.chatBodies as { messages: unknown[]; tools: unknown }[];
    expect(JSON.stringify(second!.messages[0])).toBe(JSON.stringify(first!.messages[0]));
    expect(JSON.stringify(second!.tools)).toBe(JSON.stringify(first!.tools));
  });

  it('offers the native tools by default, and exactly the functions it always had with --tool-surface functions', async () => {
    const { server, repo } = await setUp([{ step: { answer: 'one' } }, { step: { answer: 'two' } }]);
    await exec(server, repo, ['hi']);
    await exec(server, repo, ['--tool-surface', 'functions', 'hi']);
    const [native, functions] = (server.chatBodies as { tools: { function: { name: string } }[] }[]).map((body) =>
      body.tools.map((tool) => tool.function.name),
    );
    // Over Chat Completions the system namespaces follow the developer functions, flattened to names servers accept.
    expect(native).toEqual([
      'symbols',
      'run_tests',
      'git',
      'repo_browser__print_tree',
      'repo_browser__list_dir',
      'repo_browser__search',
      'repo_browser__open_file',
      'repo_browser__apply_patch',
      'container__exec',
    ]);
    expect(functions).toEqual([
      'read_file',
      'list_files',
      'grep',
      'symbols',
      'apply_patch',
      'shell',
      'run_tests',
      'git',
    ]);
  });

  it('refuses an unknown tool surface', async () => {
    const { server, repo } = await setUp([]);
    const run = await exec(server, repo, ['--tool-surface', 'harmony', 'hi']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--tool-surface must be native or functions (got "harmony")');
  });

  it('puts the repository AGENTS.md into the instructions', async () => {
    const { server, repo } = await setUp([{ step: { answer: 'ok' } }], {
      'AGENTS.md': 'Run tests with `make check`.\n',
    });
    await exec(server, repo, ['hi']);
    const body = server.chatBodies[0] as { messages: { role: string; content: string }[] };
    expect(body.messages[0]!.content).toContain(
      '# Project instructions from AGENTS.md\n\nRun tests with `make check`.',
    );
  });

  it('exits 1 with a message naming the endpoint when the server refuses', async () => {
    const { server, repo } = await setUp([{ status: 401, body: { error: { message: 'invalid api key' } } }]);
    const run = await exec(server, repo, ['hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(server.url);
    expect(run.stderr).toMatch(/api-key|GPTOSS_AGENT_API_KEY/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['exec'], /exec needs a prompt/],
    [['exec', '--approval', 'yolo', 'hi'], /--approval must be suggest, auto-edit or full-auto/],
    [['exec', '--bogus', 'hi'], /Unknown option '--bogus'/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const dir = makeTempRepo();
    cleanups.push(() => dir.remove());
    const run = await runCli(args, { cwd: dir.root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('without an endpoint or model, says what is missing and exits 1', async () => {
    const dir = makeTempRepo();
    cleanups.push(() => dir.remove());
    const run = await runCli(['exec', 'hi'], { cwd: dir.root, env: { HOME: dir.root } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--endpoint/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
