// `gptoss-agent pull` with the built binary against a loopback server
// standing in for Hugging Face (HF_ENDPOINT): download, resume, failures.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { closedPort, startFileServer, type ServedFile } from '../fixtures/file-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const body = randomBytes(200_000);
const MODEL_PATH = '/giladgd/gpt-oss-20b-GGUF/resolve/main/gpt-oss-20b.MXFP4.gguf';

async function setUp(files: Record<string, ServedFile> = { [MODEL_PATH]: { body } }) {
  const server = await startFileServer(files);
  const home = mkdtempSync(path.join(os.tmpdir(), 'gptoss-pull-'));
  cleanups.push(
    () => server.close(),
    () => rmSync(home, { recursive: true, force: true }),
  );
  const models = path.join(home, 'cache', 'gptoss-agent', 'models');
  const env = { HOME: home, XDG_CACHE_HOME: path.join(home, 'cache'), HF_ENDPOINT: server.url };
  return { server, home, models, env };
}

describe('gptoss-agent pull', () => {
  it('downloads the default model into the cache directory and prints where', async () => {
    const { models, env, home } = await setUp();
    const run = await runCli(['pull'], { cwd: home, env });
    expect(run.code).toBe(0);
    const file = path.join(models, 'gpt-oss-20b.MXFP4.gguf');
    expect(run.stdout).toBe(`${file}\n`);
    expect(readFileSync(file).equals(body)).toBe(true);
    expect(run.stderr).toContain(`Downloading gpt-oss-20b into ${models}`);
    expect(run.stderr).toMatch(/\[#+\]\s+100%\s+195\.3 KB \/ 195\.3 KB/);
    expect(run.stderr).toContain('It is the default model: no --model needed.');
  });

  it('resumes a download that was cut short', async () => {
    const { server, models, env, home } = await setUp();
    mkdirSync(models, { recursive: true });
    writeFileSync(path.join(models, 'gpt-oss-20b.MXFP4.gguf.partial'), body.subarray(0, 50_000));
    const run = await runCli(['pull', '20b'], { cwd: home, env });
    expect(run.code).toBe(0);
    expect(server.requests[0]!.headers.range).toBe('bytes=50000-');
    expect(readFileSync(path.join(models, 'gpt-oss-20b.MXFP4.gguf')).equals(body)).toBe(true);
  });

  it('says so when the model is already there', async () => {
    const { server, models, env, home } = await setUp();
    mkdirSync(models, { recursive: true });
    writeFileSync(path.join(models, 'gpt-oss-20b.MXFP4.gguf'), body);
    const run = await runCli(['pull'], { cwd: home, env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('gpt-oss-20b is already downloaded');
    expect(server.requests).toHaveLength(0);
  });

  it('downloads any hf: file and says how to run it', async () => {
    const { models, env, home } = await setUp({ '/me/repo/resolve/main/small.gguf': { body } });
    const run = await runCli(['pull', 'hf:me/repo/small.gguf'], { cwd: home, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${path.join(models, 'small.gguf')}\n`);
    expect(run.stderr).toContain('Run it with --model hf:me/repo/small.gguf.');
  });

  it('fails within 10 seconds when the host cannot be reached, saying what to do instead', async () => {
    const { env, home, models } = await setUp();
    const started = performance.now();
    const run = await runCli(['pull'], {
      cwd: home,
      env: { ...env, HF_ENDPOINT: `http://127.0.0.1:${await closedPort()}` },
    });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot reach 127.0.0.1');
    expect(run.stderr).toContain('--model PATH');
    expect(run.stderr).toContain(`put the file at ${path.join(models, 'gpt-oss-20b.MXFP4.gguf')}`);
    expect(run.stderr).toContain('--endpoint URL');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(models, 'gpt-oss-20b.MXFP4.gguf'))).toBe(false);
  });

  it('refuses something that is not a download', async () => {
    const { env, home } = await setUp();
    const run = await runCli(['pull', './model.gguf'], { cwd: home, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('A file you already have runs with --model PATH');
  });
});
