// primeCache as the factory wires it from the config: the default primes a llama-server on
// this machine while the user types; `off` sends nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/modes/backend-factory.js';
import { startDialectServer, type DialectServer } from '../fixtures/server-dialects.js';

let server: DialectServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const NEXT = { instructions: 'Be brief.', messages: [], tools: [] };

describe('primeCache', () => {
  it.each([
    [undefined, 1],
    ['auto', 1],
    ['on', 1],
    ['off', 0],
  ] as const)('%s sends %i prime to a local llama-server', async (primeCache, primes) => {
    server = await startDialectServer('llama-server', []);
    const backend = await createBackend({ endpoint: server.url, ...(primeCache ? { primeCache } : {}) }, {});
    const prepared = await backend.prepareNext!(NEXT);
    expect(server.primes).toHaveLength(primes);
    expect(prepared.complete).toBe(primes === 1);
    await backend.dispose();
  });
});
