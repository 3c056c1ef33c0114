// Model downloads against a real loopback HTTP server: resumed, verified,
// cancellable, and quick to fail when the host cannot be reached.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DownloadError,
  downloadModel,
  type DownloadProgress,
} from '../../src/model/download.js';
import { parseModelReference, type ModelReference } from '../../src/model/model-reference.js';
import { closedPort, startFileServer, type ServedFile } from '../fixtures/file-server.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const body = randomBytes(300_000);

async function setUp(files: Record<string, ServedFile>, uri = 'hf:owner/repo/model.gguf') {
  const server = await startFileServer(files);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-download-'));
  cleanups.push(
    () => server.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const reference = parseModelReference(uri, { cwd: dir, modelsDir: dir, env: { HF_ENDPOINT: server.url } });
  return { server, dir, reference: reference as Extract<ModelReference, { kind: 'remote' }> };
}

describe('downloadModel', () => {
  it('downloads the file into place with progress, leaving no partial file', async () => {
    const { server, dir, reference } = await setUp({ '/owner/repo/resolve/main/model.gguf': { body } });
    const progress: DownloadProgress[] = [];
    const file = await downloadModel(reference, { onProgress: (p) => progress.push(p) });
    expect(file).toBe(path.join(dir, 'model.gguf'));
    expect(readFileSync(file).equals(body)).toBe(true);
    expect(existsSync(`${file}.partial`)).toBe(false);
    expect(server.requests).toHaveLength(1);
    expect(progress.at(-1)).toMatchObject({ receivedBytes: body.length, totalBytes: body.length, fileCount: 1 });
    const received = progress.map((p) => p.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
  });

  it('resumes a partial download with a range request', async () => {
    const { server, dir, reference } = await setUp({ '/owner/repo/resolve/main/model.gguf': { body } });
    writeFileSync(path.join(dir, 'model.gguf.partial'), body.subarray(0, 120_000));
    const file = await downloadModel(reference);
    expect(readFileSync(file).equals(body)).toBe(true);
    expect(server.requests[0]!.headers.range).toBe('bytes=120000-');
  });

  it('starts over when the server ignores the range', async () => {
    const { dir, reference } = await setUp({ '/owner/repo/resolve/main/model.gguf': { body, ignoreRange: true } });
    writeFileSync(path.join(dir, 'model.gguf.partial'), Buffer.from('stale bytes'));
    const file = await downloadModel(reference);
    expect(readFileSync(file).equals(body)).toBe(true);
  });

  it('finishes a partial file that already holds everything', async () => {
    const { dir, reference } = await setUp({ '/owner/repo/resolve/main/model.gguf': { body } });
    writeFileSync(path.join(dir, 'model.gguf.partial'), body);
    expect(readFileSync(await downloadModel(reference)).equals(body)).toBe(true);
  });

  it('picks up again by itself when the connection drops after data arrived', async () => {
    const { server, reference } = await setUp({
      '/owner/repo/resolve/main/model.gguf': { body, cutAfterBytes: 110_000 },
    });
    const file = await downloadModel(reference);
    expect(readFileSync(file).equals(body)).toBe(true);
    // Each connection brings up to 110,000 bytes (fewer reach the client when it breaks); each resumes after the last.
    const starts = server.requests.map((r) => Number(/bytes=(\d+)-/.exec(r.headers.range ?? 'bytes=0-')![1]));
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(starts[0]).toBe(0);
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThan(starts[i - 1]!);
  });

  it('keeps what it got when a resumed connection brings nothing, for the next run to resume', async () => {
    const { dir, reference } = await setUp({ '/owner/repo/resolve/main/model.gguf': { body, cutAfterBytes: 0 } });
    writeFileSync(path.join(dir, 'model.gguf.partial'), body.subarray(0, 1000));
    const error = await downloadModel(reference).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).message).toMatch(/stopped after 1000 bytes of 293.0 KB/);
    expect((error as DownloadError).hint).toMatch(/resumes/);
    expect(readFileSync(path.join(dir, 'model.gguf.partial')).length).toBe(1000);
  });

  it('downloads every part of a split model', async () => {
    const parts = [randomBytes(1000), randomBytes(2000)];
    const { dir, reference } = await setUp(
      {
        '/o/r/resolve/main/big-00001-of-00002.gguf': { body: parts[0]! },
        '/o/r/resolve/main/big-00002-of-00002.gguf': { body: parts[1]! },
      },
      'hf:o/r/big-00001-of-00002.gguf',
    );
    const file = await downloadModel(reference);
    expect(file).toBe(path.join(dir, 'big-00001-of-00002.gguf'));
    expect(readFileSync(path.join(dir, 'big-00002-of-00002.gguf')).equals(parts[1]!)).toBe(true);
  });

  it('says when the file does not exist', async () => {
    const { reference } = await setUp({});
    await expect(downloadModel(reference)).rejects.toThrow(/was not found \(HTTP 404\)/);
  });

  it('fails fast when nothing listens, naming --model and --endpoint', async () => {
    const port = await closedPort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-download-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const reference = parseModelReference('hf:owner/repo/model.gguf', {
      cwd: dir,
      modelsDir: dir,
      env: { HF_ENDPOINT: `http://127.0.0.1:${port}` },
    }) as Extract<ModelReference, { kind: 'remote' }>;
    const error = (await downloadModel(reference).catch((e: unknown) => e)) as DownloadError;
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain(`Cannot reach 127.0.0.1:${port}`);
    expect(error.message).toContain('connection refused');
    expect(error.hint).toContain('--model PATH');
    expect(error.hint).toContain('--endpoint URL');
    expect(error.hint).toContain(path.join(dir, 'model.gguf'));
  });

  it('gives up on a server that does not answer', async () => {
    const { reference } = await setUp({ '/owner/repo/resolve/main/model.gguf': { body, hang: true } });
    const started = performance.now();
    await expect(downloadModel(reference, { connectTimeoutMs: 300 })).rejects.toThrow(/Cannot reach .*no answer/);
    // The given limit, not the default one: a bound between them that does not depend on the machine's speed.
    expect(performance.now() - started).toBeLessThan(DEFAULT_CONNECT_TIMEOUT_MS);
  });

  it('stops when aborted and keeps the partial file', async () => {
    const { dir, reference } = await setUp({ '/owner/repo/resolve/main/model.gguf': { body, cutAfterBytes: 100_000 } });
    const controller = new AbortController();
    await expect(
      downloadModel(reference, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.receivedBytes > 0) controller.abort();
        },
      }),
    ).rejects.toThrow();
    expect(existsSync(path.join(dir, 'model.gguf'))).toBe(false);
    expect(existsSync(path.join(dir, 'model.gguf.partial'))).toBe(true);
  });
});

describe('the default connect timeout', () => {
  it('leaves room to report an unreachable host within 10 seconds', async () => {
    const { DEFAULT_CONNECT_TIMEOUT_MS } = await import('../../src/model/download.js');
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBeLessThanOrEqual(9000);
  });
});
