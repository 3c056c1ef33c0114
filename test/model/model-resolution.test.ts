// Which model the embedded backend runs: --model or a config file, then
// GPTOSS_AGENT_MODEL, then the default in the cache directory. Nothing is
// downloaded; a model not on disk is reported missing with what pull fetches.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, knownModel } from '../../src/model/known-models.js';
import { ModelSpecError, parseModelReference } from '../../src/model/model-reference.js';
import { resolveModel } from '../../src/model/model-resolution.js';

let home: string;
let models: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'gptoss-models-'));
  env = { HOME: home, XDG_CACHE_HOME: path.join(home, 'cache') };
  models = path.join(home, 'cache', 'gptoss-agent', 'models');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function place(file: string, bytes = 10): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, Buffer.alloc(bytes));
  return file;
}

describe('resolveModel', () => {
  it('falls back to gpt-oss-20b in the cache directory, missing until it is pulled', async () => {
    const missing = await resolveModel({ env, cwd: home });
    expect(missing).toMatchObject({
      status: 'missing',
      origin: 'the default',
      downloadedBytes: 0,
      approxBytes: DEFAULT_MODEL.approxBytes,
      reference: {
        kind: 'remote',
        uri: DEFAULT_MODEL.uri,
        files: [{ path: path.join(models, 'gpt-oss-20b.MXFP4.gguf') }],
      },
    });
    place(path.join(models, 'gpt-oss-20b.MXFP4.gguf'));
    expect(await resolveModel({ env, cwd: home })).toMatchObject({
      status: 'found',
      path: path.join(models, 'gpt-oss-20b.MXFP4.gguf'),
    });
  });

  it('counts what a cut-short download already holds', async () => {
    place(path.join(models, 'gpt-oss-20b.MXFP4.gguf.partial'), 1234);
    expect(await resolveModel({ env, cwd: home })).toMatchObject({ status: 'missing', downloadedBytes: 1234 });
  });

  it('takes --model or the config first, then GPTOSS_AGENT_MODEL, then the default', async () => {
    const flagged = place(path.join(home, 'flag.gguf'));
    const fromEnv = place(path.join(home, 'env.gguf'));
    const withEnv = { ...env, GPTOSS_AGENT_MODEL: fromEnv };
    expect(await resolveModel({ model: 'flag.gguf', modelSource: 'flag', env: withEnv, cwd: home })).toMatchObject({
      status: 'found',
      path: flagged,
      origin: '--model',
    });
    const config = path.join(home, '.config', 'gptoss-agent', 'config.json');
    expect(await resolveModel({ model: flagged, modelSource: config, env: withEnv, cwd: home })).toMatchObject({
      path: flagged,
      origin: config,
    });
    expect(await resolveModel({ env: withEnv, cwd: home })).toMatchObject({
      path: fromEnv,
      origin: 'GPTOSS_AGENT_MODEL',
    });
  });

  it('reports a model file that is not there, naming where the setting came from', async () => {
    expect(await resolveModel({ model: '~/models/x.gguf', modelSource: 'flag', env, cwd: '/' })).toMatchObject({
      status: 'missing',
      origin: '--model',
      reference: { kind: 'file', path: path.join(home, 'models', 'x.gguf') },
    });
  });

  it('finds a split model only when every part is there', async () => {
    const uri = 'hf:giladgd/gpt-oss-120b-GGUF/gpt-oss-120b.MXFP4-00001-of-00002.gguf';
    place(path.join(models, 'gpt-oss-120b.MXFP4-00001-of-00002.gguf'), 100);
    expect(await resolveModel({ model: '120b', env, cwd: home })).toMatchObject({
      status: 'missing',
      downloadedBytes: 100,
      reference: { uri },
    });
    place(path.join(models, 'gpt-oss-120b.MXFP4-00002-of-00002.gguf'));
    expect(await resolveModel({ model: uri, env, cwd: home })).toMatchObject({
      status: 'found',
      path: path.join(models, 'gpt-oss-120b.MXFP4-00001-of-00002.gguf'),
    });
  });
});

describe('parseModelReference', () => {
  const context = { cwd: '/work', modelsDir: '/cache/models', env: {} };

  it('knows the gpt-oss models by their usual names', () => {
    for (const name of ['20b', 'gpt-oss-20b', 'gpt-oss:20b', 'openai/gpt-oss-20b', 'GPT-OSS-20B']) {
      expect(knownModel(name)?.id).toBe('20b');
    }
    expect(knownModel('gpt-oss-7b')).toBeUndefined();
  });

  it('turns an hf: URI into its download URL, through HF_ENDPOINT when set', () => {
    expect(parseModelReference('hf:owner/repo/sub dir/m.gguf#v2', context)).toEqual({
      kind: 'remote',
      uri: 'hf:owner/repo/sub dir/m.gguf#v2',
      files: [{ url: 'https://huggingface.co/owner/repo/resolve/v2/sub%20dir/m.gguf', path: '/cache/models/m.gguf' }],
    });
    const mirrored = parseModelReference('hf:o/r/m.gguf', { ...context, env: { HF_ENDPOINT: 'http://mirror:8/' } });
    expect(mirrored).toMatchObject({ files: [{ url: 'http://mirror:8/o/r/resolve/main/m.gguf' }] });
  });

  it('lists every part of a split model', () => {
    const reference = parseModelReference('https://example.com/x/big-00001-of-00003.gguf?download=1', context);
    expect(reference.kind === 'remote' && reference.files.map((f) => f.url)).toEqual([
      'https://example.com/x/big-00001-of-00003.gguf?download=1',
      'https://example.com/x/big-00002-of-00003.gguf?download=1',
      'https://example.com/x/big-00003-of-00003.gguf?download=1',
    ]);
  });

  it('refuses an hf: URI without a file, saying how to write one', () => {
    expect(() => parseModelReference('hf:ggml-org/gpt-oss-20b-GGUF', context)).toThrow(ModelSpecError);
    expect(() => parseModelReference('hf:ggml-org/gpt-oss-20b-GGUF', context)).toThrow(/hf:OWNER\/REPO\/FILE\.gguf/);
  });

  it('takes anything else as a file path from the working directory', () => {
    expect(parseModelReference('models/m.gguf', context)).toEqual({ kind: 'file', path: '/work/models/m.gguf' });
  });
});
