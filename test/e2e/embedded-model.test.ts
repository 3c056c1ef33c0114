// The built binary with the embedded backend: what every mode without a UI
// says when there is no model, and a real turn on the tiny gpt-oss model.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { gptOssModelFile } from '../fixtures/gpt-oss-gguf.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A repository and an empty home: no config, no downloaded models. */
function setUp() {
  const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
  const home = mkdtempSync(path.join(os.tmpdir(), 'gptoss-home-'));
  cleanups.push(
    () => repo.remove(),
    () => rmSync(home, { recursive: true, force: true }),
  );
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    GPTOSS_AGENT_MODEL: '',
    // One thread: test files run side by side on two cores.
    GPTOSS_AGENT_THREADS: '1',
  };
  return { repo, home, env };
}

function expectNoModelMessage(stderr: string) {
  expect(stderr).toContain('No gpt-oss model to run');
  expect(stderr).toContain('gptoss-agent pull');
  expect(stderr).toContain('--model PATH');
  expect(stderr).toContain('--endpoint URL');
  // A known failure: its message alone, no stack trace.
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('without a model', () => {
  it('exec says the default model is missing and how to get one, and exits 1', async () => {
    const { repo, home, env } = setUp();
    const run = await runCli(['exec', 'hi'], { cwd: repo.root, env });
    expect(run.code).toBe(1);
    expectNoModelMessage(run.stderr);
    expect(run.stderr).toContain('the default model gpt-oss-20b is not downloaded');
    expect(run.stderr).toContain(path.join(home, 'cache', 'gptoss-agent', 'models'));
    expect(run.stdout).toBe('');
  });

  it('names a --model file that does not exist', async () => {
    const { repo, env } = setUp();
    const run = await runCli(['exec', '--model', 'models/none.gguf', 'hi'], { cwd: repo.root, env });
    expect(run.code).toBe(1);
    expectNoModelMessage(run.stderr);
    expect(run.stderr).toContain(
      `the model file ${path.join(repo.root, 'models/none.gguf')} (from --model) does not exist`,
    );
  });

  it('says which pull fetches a model named in GPTOSS_AGENT_MODEL', async () => {
    const { repo, env } = setUp();
    const run = await runCli(['exec', 'hi'], {
      cwd: repo.root,
      env: { ...env, GPTOSS_AGENT_MODEL: 'hf:me/models/m.gguf' },
    });
    expect(run.code).toBe(1);
    expectNoModelMessage(run.stderr);
    expect(run.stderr).toContain('hf:me/models/m.gguf (from GPTOSS_AGENT_MODEL) is not downloaded');
    expect(run.stderr).toContain('gptoss-agent pull hf:me/models/m.gguf');
  });

  it('downloads nothing by itself', async () => {
    const { repo, home, env } = setUp();
    await runCli(['exec', 'hi'], { cwd: repo.root, env });
    expect(existsSync(path.join(home, 'cache', 'gptoss-agent', 'models'))).toBe(false);
  });
});

describe('--ctx', () => {
  it('must be a whole number of tokens', async () => {
    const { repo, env } = setUp();
    const run = await runCli(['exec', '--ctx', '32k', 'hi'], { cwd: repo.root, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--ctx must be a whole number of tokens from 512 to 131072 (got "32k")');
  });
});

/** Tokens one generation may write in the tiny model's turn. */
const MAX_OUTPUT = 48;

describe('with the tiny gpt-oss model', () => {
  it('exec runs a turn on the embedded backend and reports its usage', async () => {
    const { repo, env } = setUp();
    const model = gptOssModelFile();
    // Random weights rarely end an answer: the output limit bounds the work, not the machine's speed.
    const args = [
      'exec',
      '--json',
      '--model',
      model,
      '--ctx',
      '16384',
      '--max-output-tokens',
      String(MAX_OUTPUT),
      'Say hi',
    ];
    const run = await runCli(args, { cwd: repo.root, env, timeoutMs: 60_000 });
    expect(run.stderr).toBe('');
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    expect(events.some((e) => e.type === 'answer.delta')).toBe(true);
    const completed = events.at(-1) as { type: string; stopReason: string; usage: Record<string, number> };
    expect(completed.type).toBe('turn.completed');
    // The model either ends its answer (exit 0) or is stopped at the limit, which exec reports as a failure (1).
    expect(['answer', 'output_limit']).toContain(completed.stopReason);
    expect(run.code).toBe(completed.stopReason === 'answer' ? 0 : 1);
    expect(completed.usage.contextSize).toBe(16384);
    expect(completed.usage.promptTokens).toBeGreaterThan(1000);
    expect(completed.usage.cachedPromptTokens).toBe(0);
    expect(completed.usage.outputTokens).toBeGreaterThan(0);
    expect(completed.usage.outputTokens).toBeLessThanOrEqual(MAX_OUTPUT);
  }, 120_000);
});
