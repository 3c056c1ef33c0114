// `gptoss-agent doctor` with the built binary: exit 0 when the agent can run,
// 1 otherwise, each problem with its fix.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer } from '../fixtures/chat-server.js';
import { runCli } from '../fixtures/cli.js';
import { closedPort } from '../fixtures/file-server.js';
import { gptOssModelFile } from '../fixtures/gpt-oss-gguf.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function home() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-doctor-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    env: { HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_CACHE_HOME: path.join(dir, 'cache') },
  };
}

describe('gptoss-agent doctor', () => {
  it('fails without a model, with the ways to get one', async () => {
    const { dir, env } = home();
    const run = await runCli(['doctor'], { cwd: dir, env, timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ model\s+the default model gpt-oss-20b is not downloaded/);
    expect(run.stdout).toContain('gptoss-agent pull');
    expect(run.stdout).toMatch(/(✓|·) compute\s+/);
    expect(run.stdout).toMatch(/✓ memory\s+RAM /);
    expect(run.stdout).toMatch(/gpt-oss-20b\s+/);
    expect(run.stdout).toMatch(/gpt-oss-120b\s+/);
    expect(run.stdout).toMatch(/sandbox\s+/);
    expect(run.stdout).toMatch(/ripgrep\s+/);
    expect(run.stdout).toMatch(/✓ git\s+git version/);
    expect(run.stdout).toContain('The agent cannot run yet');
  });

  it('passes with a gpt-oss model file, and says which one', async () => {
    const { dir, env } = home();
    const model = gptOssModelFile();
    const run = await runCli(['doctor', '--model', model], { cwd: dir, env, timeoutMs: 30_000 });
    expect(run.stdout).toMatch(
      new RegExp(
        `✓ model\\s+${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(gpt-oss tiny test model, .*, from --model\\)`,
      ),
    );
    expect(run.stdout).toContain('The agent can run here.');
    expect(run.code).toBe(0);
  });

  it('passes with an endpoint that answers, the missing model being no problem then', async () => {
    const { dir, env } = home();
    const server = await startChatServer([]);
    cleanups.push(() => server.close());
    const run = await runCli(['doctor', '--endpoint', server.url], { cwd: dir, env, timeoutMs: 30_000 });
    expect(run.stdout).toMatch(/✓ endpoint\s+http:\/\/127\.0\.0\.1:\d+\/v1 answers; it serves gpt-oss-20b/);
    const modelLines = run.stdout.slice(run.stdout.indexOf('· model')).split('\n');
    expect(modelLines[0]).toMatch(/^· model\s+not needed: the endpoint serves the model$/);
    // Nothing about downloading or passing a model file follows it, and no fit line repeats --endpoint advice.
    expect(modelLines[1]).toMatch(/^  \S/);
    expect(run.stdout).not.toMatch(/gptoss-agent pull|--model PATH|connect with --endpoint/);
    expect(run.code).toBe(0);
  });

  it('fails when the endpoint does not answer', async () => {
    const { dir, env } = home();
    const run = await runCli(['doctor', '--endpoint', `127.0.0.1:${await closedPort()}`], {
      cwd: dir,
      env,
      timeoutMs: 30_000,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ endpoint\s+http:\/\/127\.0\.0\.1:\d+\/v1 does not answer \(ECONNREFUSED\)/);
    expect(run.stdout).toContain('Start the server');
  });
});
