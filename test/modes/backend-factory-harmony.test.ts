// --harmony as the factory wires it: by default raw harmony to a server that takes it,
// Chat Completions when asked for; the flag and the config key are checked.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createBackend } from '../../src/modes/backend-factory.js';
import { configFromFlags, UsageError } from '../../src/modes/options.js';
import { startDialectServer, type DialectServer } from '../fixtures/server-dialects.js';
import { collect, userRequest } from '../model/model-events.js';

let server: DialectServer | undefined;
const homes: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A home whose user config holds `settings`. */
function homeWithConfig(settings: Record<string, unknown>): NodeJS.ProcessEnv {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gptoss-harmony-'));
  homes.push(home);
  const dir = path.join(home, 'config', 'gptoss-agent');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(settings));
  return { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_STATE_HOME: path.join(home, 'state') };
}

describe('--harmony', () => {
  it.each([
    [undefined, 'POST /v1/completions'],
    ['auto', 'POST /v1/completions'],
    ['raw', 'POST /v1/completions'],
    ['chat', 'POST /v1/chat/completions'],
  ] as const)('with %s sends a vLLM server %s', async (harmony, expected) => {
    server = await startDialectServer('vllm', [
      { harmony: '<|channel|>final<|message|>Hi.<|return|>', chat: { answer: 'Hi.' } },
    ]);
    const backend = await createBackend({ endpoint: server.url, ...(harmony ? { harmony } : {}) }, {});
    const result = await collect(backend.generate(userRequest('hi')));
    expect(result.answer).toBe('Hi.');
    expect(server.log.filter((line) => line.startsWith('POST'))).toEqual([expected]);
    await backend.dispose();
  });

  it('takes auto, raw or chat and refuses anything else', () => {
    expect(configFromFlags({ harmony: 'chat' })).toEqual({ harmony: 'chat' });
    expect(() => configFromFlags({ harmony: 'native' })).toThrow(UsageError);
    expect(() => configFromFlags({ harmony: 'native' })).toThrow(/--harmony must be auto, raw or chat/);
  });

  it('is read from the user config, a flag wins, and a wrong value there is reported', async () => {
    expect((await loadConfig({ env: homeWithConfig({ harmony: 'chat' }) })).config.harmony).toBe('chat');
    const env = homeWithConfig({ harmony: 'chat' });
    expect((await loadConfig({ env, flags: { harmony: 'raw' } })).config.harmony).toBe('raw');
    await expect(loadConfig({ env: homeWithConfig({ harmony: 'native' }) })).rejects.toThrow(/"harmony" must be/);
  });
});
