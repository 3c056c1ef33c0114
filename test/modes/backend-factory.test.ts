// Which backend a mode gets: the server with --endpoint, else the embedded
// model, returned at once while it loads; without a model, an error that
// carries what was looked for (the UI offers the download from it).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, NoModelError } from '../../src/modes/backend-factory.js';
import { DEFAULT_MODEL } from '../../src/model/known-models.js';
import { gptOssModelFile } from '../fixtures/gpt-oss-gguf.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function emptyHome(): NodeJS.ProcessEnv {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gptoss-factory-'));
  dirs.push(home);
  return { HOME: home, XDG_CACHE_HOME: path.join(home, 'cache'), GPTOSS_AGENT_THREADS: '1' };
}

describe('createBackend', () => {
  it('uses the server when an endpoint is given', async () => {
    const backend = await createBackend({ endpoint: 'http://127.0.0.1:9/v1', model: 'gpt-oss-20b' }, emptyHome());
    expect(backend.description).toMatchObject({ kind: 'openai-compatible', model: 'gpt-oss-20b' });
    await backend.dispose();
  });

  it('returns the embedded backend at once, still loading, and it becomes ready', async () => {
    const backend = await createBackend({ model: gptOssModelFile(), contextSize: 1024 }, emptyHome(), { cwd: '/' });
    expect(backend.description).toMatchObject({ kind: 'embedded', model: path.basename(gptOssModelFile()) });
    expect(backend.status?.()).toMatchObject({ state: 'loading' });
    const ready = new Promise((resolve) =>
      backend.onStatus!((status) => status.state !== 'loading' && resolve(status)),
    );
    expect(await ready).toMatchObject({ state: 'ready', contextSize: 1024 });
    await backend.dispose();
  });

  it('without a model, throws what is missing and the default download for a UI to offer', async () => {
    const env = emptyHome();
    const error = (await createBackend({}, env, { cwd: '/' }).catch((e: unknown) => e)) as NoModelError;
    expect(error).toBeInstanceOf(NoModelError);
    expect(error.resolution).toMatchObject({
      status: 'missing',
      approxBytes: DEFAULT_MODEL.approxBytes,
      reference: { kind: 'remote', known: DEFAULT_MODEL },
    });
    expect(error.message).toContain('gptoss-agent pull');
  });

  it('turns a model setting that names nothing into the no-model message', async () => {
    await expect(createBackend({ model: 'hf:only/repo' }, emptyHome(), { cwd: '/' })).rejects.toThrow(NoModelError);
  });
});
