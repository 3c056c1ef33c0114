// The built binary's `fix` on a real failing vitest project, in the real
// sandbox, with a scripted model behind a loopback chat server.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { runCli } from '../fixtures/cli.js';
import { copyProject, projectSandboxReadOnly } from '../fixtures/projects.js';
import type { TempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A sample without its unparsable (and crashing) test files: one bug in add() fails two tests. */
async function setUp(responses: ScriptedResponse[], sample: 'vitest' | 'node-test' = 'vitest') {
  const server = await startChatServer(responses);
  const repo = copyProject(sample);
  const broken = sample === 'vitest' ? ['src/broken.test.js'] : ['test/broken.test.js', 'test/crash.test.js'];
  for (const file of broken) rmSync(path.join(repo.root, file));
  repo.commit('without the broken tests');
  cleanups.push(
    () => server.close(),
    () => repo.remove(),
  );
  return { server, repo };
}

function fix(server: ChatServer, repo: TempRepo, args: string[], env?: NodeJS.ProcessEnv) {
  return runCli(['fix', '--endpoint', server.url, '--model', 'gpt-oss-20b', ...args], {
    cwd: repo.root,
    timeoutMs: 60_000,
    ...(env ? { env } : {}),
  });
}

const FAILING = ['src/math.test.js › math › adds two numbers', 'src/math.test.js › math › objects › sums fields'];

const readMath: ScriptedResponse = {
  step: { preamble: 'Reading add().', toolCalls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
};
const patchAdd: ScriptedResponse = {
  step: {
    reasoning: 'add subtracts instead of adding.',
    toolCalls: [
      {
        name: 'apply_patch',
        arguments: {
          input:
            '*** Begin Patch\n*** Update File: src/math.js\n@@ export function add(a, b) {\n-  return a - b;\n+  return a + b;\n*** End Patch',
        },
      },
    ],
  },
};
const patchTest: ScriptedResponse = {
  step: {
    toolCalls: [
      {
        name: 'apply_patch',
        arguments: {
          input:
            '*** Begin Patch\n*** Update File: src/math.test.js\n@@\n-    expect(add(2, 3)).toBe(5);\n+    expect(add(2, 3)).toBe(-1);\n*** End Patch',
        },
      },
    ],
  },
};

type Event = { type: string; [key: string]: any };
const events = (stdout: string): Event[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);

describe('gptoss-agent fix', () => {
  it('runs the tests, applies the fix, re-runs them, and exits 0 with a summary', async () => {
    const { server, repo } = await setUp([readMath, patchAdd, { step: { answer: 'add() subtracted; it adds now.' } }]);
    const run = await fix(server, repo, ['--approval', 'auto-edit']);
    expect(run.stderr).toMatch(/^tests: Tests failed: 2 failed, 2 passed, 1 skipped \(vitest/m);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(repo.root, 'src/math.js'), 'utf8')).toContain('return a + b;');

    // The model was given the structured failures.
    const first = server.chatBodies[0] as { messages: { role: string; content: string }[] };
    const prompt = first.messages.at(-1)!.content;
    expect(prompt).toMatch(/^The project's tests fail\. This is the report of run_tests:/);
    for (const id of FAILING) expect(prompt).toContain(id);
    expect(prompt).toContain('expected: 5\n   actual:   -1');
    expect(first.messages[0]!.content).toMatch(/Never edit, delete, skip or loosen a test/);
    // The patch's result carried the re-run of the failing tests.
    const third = server.chatBodies[2] as { messages: { role: string; content: string }[] };
    expect(third.messages.at(-1)!.content).toMatch(
      /^Applied: M src\/math\.js \(\+1 -1\)\n\nRe-ran the failing tests \(src\/math\.test\.js\):\nAll tests passed: 0 failed, 3 passed, 1 skipped/,
    );

    const summary = run.stdout.trimEnd().split('\n');
    expect(summary.slice(0, -1)).toEqual([
      'All tests pass now (4 passed); 2 fixed.',
      'Fixed (2):',
      ...FAILING.map((id) => `  ${id}`),
      'Files changed (1, +1 -1):',
      '  src/math.js | +1 -1',
    ]);
    expect(summary.at(-1)).toMatch(/^Rounds: 1 of 3 · [\d.]+ m?s · tokens: 30 prompt, 15 output$/);
  });

  it('stops when the rounds are used up, exit 1, and says what still fails', async () => {
    const giveUp: ScriptedResponse = { step: { answer: 'I cannot find the cause.' } };
    const { server, repo } = await setUp([giveUp, giveUp]);
    const run = await fix(server, repo, ['--approval', 'auto-edit', '--max-rounds', '2', '--json']);
    expect(run.code).toBe(1);
    const all = events(run.stdout);
    expect(all.filter((e) => e.type === 'fix.tests').map((e) => [e.round, e.report.outcome])).toEqual([
      [0, 'failed'],
      [1, 'failed'],
      [2, 'failed'],
    ]);
    expect(all.at(-1)).toMatchObject({
      type: 'fix.completed',
      summary: {
        outcome: 'failing',
        rounds: 2,
        maxRounds: 2,
        fixed: [],
        stillFailing: FAILING,
        newlyFailing: [],
        buildErrors: 0,
        before: { failed: 2, passed: 2, skipped: 1 },
        after: { failed: 2, passed: 2, skipped: 1 },
        files: [],
        tokens: { prompt: 20, output: 10 },
        message: 'The tests still fail after 2 rounds.',
      },
    });
    // The second round told the model the tests still fail.
    const second = server.chatBodies[1] as { messages: { role: string; content: string }[] };
    expect(second.messages.at(-1)!.content).toMatch(/^After your changes the tests still do not all pass\./);
  });

  it('fixes a node --test project from its structured failures and counts what it fixed', async () => {
    const { server, repo } = await setUp([patchAdd, { step: { answer: 'add() adds now.' } }], 'node-test');
    const run = await fix(server, repo, ['--approval', 'auto-edit']);
    expect(run.stderr).toMatch(/^tests: Tests failed: 2 failed, 2 passed, 1 skipped \(node/m);
    expect(run.code).toBe(0);
    const prompt = (server.chatBodies[0] as { messages: { content: string }[] }).messages.at(-1)!.content;
    expect(prompt).toContain('1. test/math.test.js › math › adds two numbers\n   at test/math.test.js:7:12\n');
    expect(prompt).toContain('expected: 5\n   actual:   -1');
    expect(run.stdout.split('\n').slice(0, 4)).toEqual([
      'All tests pass now (4 passed); 2 fixed.',
      'Fixed (2):',
      '  test/math.test.js › math › adds two numbers',
      '  test/math.test.js › math › objects › sums fields',
    ]);
  });

  it('claims no counts a plain test command does not give', async () => {
    const giveUp: ScriptedResponse = { step: { answer: 'I cannot find the cause.' } };
    const { server, repo } = await setUp([giveUp, giveUp], 'node-test');
    repo.write('check.js', "import { add } from './src/math.js';\nif (add(2, 3) !== 5) process.exit(1);\n");
    const args = ['--approval', 'auto-edit', '--max-rounds', '1', '--test-cmd', 'node check.js'];
    const run = await fix(server, repo, args);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(
      'Not fixed: the test command still fails (exit 1). The tests still fail after 1 round.',
    );
    expect(run.stdout).not.toMatch(/\b0 (passed|tests|fixed)\b|at the start/);
    const json = await fix(server, repo, [...args, '--json']);
    const summary = events(json.stdout).at(-1)!.summary;
    expect(summary).toMatchObject({ outcome: 'failing', exitBefore: 1, exitAfter: 1, fixed: [], stillFailing: [] });
    expect(summary).not.toHaveProperty('before');
    expect(summary).not.toHaveProperty('after');
  });

  it('says only that the command now exits 0 when that is all it knows', async () => {
    const { server, repo } = await setUp([patchAdd, { step: { answer: 'Fixed.' } }], 'node-test');
    repo.write('check.js', "import { add } from './src/math.js';\nif (add(2, 3) !== 5) process.exit(1);\n");
    const run = await fix(server, repo, ['--approval', 'auto-edit', '--test-cmd', 'node check.js']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('The test command now exits 0.');
  });

  it('stops at once without a terminal in suggest mode, before any model call, and names the flag', async () => {
    const { server, repo } = await setUp([patchTest, { step: { answer: 'The test expects the wrong value.' } }]);
    for (const args of [[], ['--approval', 'suggest']]) {
      const run = await fix(server, repo, ['--json', ...args]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^gptoss-agent fix: without a terminal no patch can be approved, so nothing could be fixed: re-run with --approval auto-edit/,
      );
    }
    expect(server.chatBodies).toHaveLength(0);
    expect(readFileSync(path.join(repo.root, 'src/math.test.js'), 'utf8')).toContain('toBe(5)');
  });

  it('takes auto-edit from the user config as it takes the flag', async () => {
    const { server, repo } = await setUp([]);
    const configHome = mkdtempSync(path.join(os.tmpdir(), 'gptoss-fix-config-'));
    cleanups.push(() => rmSync(configHome, { recursive: true, force: true }));
    mkdirSync(path.join(configHome, 'gptoss-agent'));
    writeFileSync(
      path.join(configHome, 'gptoss-agent', 'config.json'),
      JSON.stringify({ approval: 'auto-edit', sandboxReadOnly: projectSandboxReadOnly }),
    );
    repo.write(
      'src/math.js',
      'export function add(a, b) {\n  return a + b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n',
    );
    const run = await fix(server, repo, [], { XDG_CONFIG_HOME: configHome });
    expect(run.stderr).not.toMatch(/no patch can be approved/);
    expect(run.code).toBe(0);
  });

  it('says so and exits 0 without asking the model when every test already passes', async () => {
    const { server, repo } = await setUp([]);
    repo.write(
      'src/math.js',
      'export function add(a, b) {\n  return a + b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n',
    );
    const run = await fix(server, repo, ['--approval', 'auto-edit']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^All tests pass \(4 passed\); nothing to fix\./);
    expect(server.chatBodies).toHaveLength(0);
  });

  it('runs without the sandbox only when told to, and says so', async () => {
    const { server, repo } = await setUp([]);
    repo.write(
      'src/math.js',
      'export function add(a, b) {\n  return a + b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n',
    );
    const run = await fix(server, repo, ['--approval', 'auto-edit', '--no-sandbox']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^warning: commands run WITHOUT the sandbox: the sandbox was turned off with --no-sandbox$/m,
    );
  });

  it('exits 1 and says why when the tests cannot run', async () => {
    const { server, repo } = await setUp([]);
    rmSync(path.join(repo.root, 'package.json'));
    const run = await fix(server, repo, ['--approval', 'auto-edit']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^The tests could not run: No test command was found/);
    expect(server.chatBodies).toHaveLength(0);
  });

  it('exits 2 on a usage error', async () => {
    const { server, repo } = await setUp([]);
    const run = await fix(server, repo, ['--max-rounds', 'zero']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--max-rounds must be a positive whole number/);
  });
});
