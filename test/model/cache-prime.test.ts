// Filling a server's prefix cache while the user types, against loopback servers that
// keep a prefix cache the way llama-server and vLLM do.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, GenerateRequest, NextRequest } from '../../src/model/backend.js';
import { isLocalEndpoint, shouldPrime } from '../../src/model/cache-prime.js';
import { OpenAICompatibleBackend, type OpenAICompatibleOptions } from '../../src/model/openai-compatible.js';
import {
  startDialectServer,
  type DialectKind,
  type DialectOptions,
  type DialectReply,
  type DialectServer,
} from '../fixtures/server-dialects.js';
import { collect } from './model-events.js';

const INSTRUCTIONS = 'You are a coding agent. Answer briefly.';
const FINAL = '<|channel|>analysis<|message|>Easy.<|end|><|start|>assistant<|channel|>final<|message|>Done.<|return|>';
const TOOLS = [
  {
    name: 'read_file',
    description: 'Reads a file.',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
];

/** The conversation after one finished turn, as the loop hands it to prepareNext. */
const HISTORY: ChatMessage[] = [
  { role: 'user', content: 'What does a.ts export?' },
  { role: 'assistant', content: 'a.ts exports f and g.' },
];

function next(messages: ChatMessage[] = HISTORY): NextRequest {
  return { instructions: INSTRUCTIONS, messages, tools: TOOLS, reasoningEffort: 'low' };
}

function turn(
  prompt: string,
  messages: ChatMessage[] = HISTORY,
  extra: Partial<GenerateRequest> = {},
): GenerateRequest {
  return { ...next(messages), messages: [...messages, { role: 'user', content: prompt }], ...extra };
}

let server: DialectServer | undefined;
let backend: OpenAICompatibleBackend | undefined;
afterEach(async () => {
  await backend?.dispose();
  await server?.close();
  server = undefined;
  backend = undefined;
});

async function setup(
  kind: DialectKind,
  script: DialectReply[],
  options: Partial<OpenAICompatibleOptions> = {},
  dialect: DialectOptions = {},
) {
  server = await startDialectServer(kind, script, { prefixCache: true, ...dialect });
  backend = new OpenAICompatibleBackend({
    endpoint: server.url,
    harmony: 'auto',
    detect: true,
    maxAttempts: 1,
    ...options,
  });
  return { server, backend };
}

function sharedPrefix(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

describe.each(['llama-server', 'vllm'] as const)('priming %s', (kind) => {
  it('sends the next request’s start, which the real request then finds cached token for token', async () => {
    const { server, backend } = await setup(kind, [{ harmony: FINAL }]);
    const prepared = await backend.prepareNext(next());
    expect(server.primes).toHaveLength(1);
    const primed = server.primes[0]!.promptTokens!;
    expect(prepared).toMatchObject({ tokens: primed.length, complete: true });
    expect(prepared.tokens).toBeGreaterThan(50);

    const real = await collect(backend.generate(turn('And b.ts?')));
    expect(real.end.stopReason).toBe('stop');
    const sent = server.generations[0]!.promptTokens!;
    expect(sent.length).toBeGreaterThan(primed.length);
    expect(sent.slice(0, primed.length)).toEqual(primed);
    // vLLM reuses whole 16-token blocks only.
    const cacheable = kind === 'vllm' ? Math.floor(primed.length / 16) * 16 : primed.length;
    expect(real.end.usage.cachedPromptTokens).toBeGreaterThanOrEqual(cacheable);
    expect(real.end.usage.promptTokens).toBeLessThanOrEqual(sent.length - cacheable);
  });

  it('reports what the server says it evaluated and reused', async () => {
    const { server, backend } = await setup(kind, [{ harmony: FINAL }]);
    await collect(backend.generate(turn('What does a.ts export?', [])));
    const prepared = await backend.prepareNext(next());
    const first = server.generations[0]!.promptTokens!;
    const primed = server.primes[0]!.promptTokens!;
    // The first turn's prompt (instructions, first question) was already in the slot.
    const shared = Math.min(sharedPrefix(first, primed), primed.length - 1);
    const reused = kind === 'vllm' ? Math.floor(shared / 16) * 16 : shared;
    expect(reused).toBeGreaterThan(0);
    expect(prepared).toEqual({ tokens: primed.length, reused, evaluated: primed.length - reused, complete: true });
  });

  it('asks the server to generate as little as it allows', async () => {
    const { server, backend } = await setup(kind, []);
    await backend.prepareNext(next());
    const body = server.primes[0]!.body;
    expect(server.primes[0]!.path).toBe('/v1/completions');
    expect(body.stream).toBe(false);
    if (kind === 'llama-server') expect(body).toMatchObject({ n_predict: 0, cache_prompt: true });
    else expect(body.max_tokens).toBe(1);
  });

  it('a generation that comes during a prime cancels it and still succeeds', async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const { server, backend } = await setup(
      kind,
      [{ harmony: FINAL }],
      {},
      {
        prime: { hold: new Promise(() => {}), onArrival: () => arrived() },
      },
    );
    const priming = backend.prepareNext(next());
    await arrival;
    const real = await collect(backend.generate(turn('And b.ts?')));
    expect(real.end.stopReason).toBe('stop');
    expect(real.answer).toBe('Done.');
    expect(await priming).toMatchObject({ complete: false });
    expect(server.primes).toHaveLength(1);
    await expect.poll(() => server.primes[0]!.aborted).toBe(true);
  });

  it('closing the backend cancels a prime in flight', async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const { server, backend } = await setup(
      kind,
      [],
      {},
      {
        prime: { hold: new Promise(() => {}), onArrival: () => arrived() },
      },
    );
    const priming = backend.prepareNext(next());
    await arrival;
    await backend.dispose();
    expect(await priming).toMatchObject({ complete: false });
    await expect.poll(() => server.primes[0]!.aborted).toBe(true);
  });

  it('a newer prime replaces one in flight', async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const { server, backend } = await setup(
      kind,
      [],
      {},
      {
        prime: { hold: new Promise((resolve) => (release = resolve)), onArrival: () => arrived() },
      },
    );
    const older = backend.prepareNext(next([]));
    await arrival;
    const newer = backend.prepareNext(next());
    expect(await older).toMatchObject({ complete: false });
    await expect.poll(() => server.primes.length).toBe(2);
    release();
    expect(await newer).toMatchObject({ complete: true });
    expect(server.primes[0]!.aborted).toBe(true);
  });

  it('sends no prime while a generation is in progress', async () => {
    const { server, backend } = await setup(kind, [{ harmony: FINAL, chunkSize: 2 }]);
    let prepared: Promise<unknown> | undefined;
    const real = await collect(backend.generate(turn('And b.ts?')), (event) => {
      if (event.type !== 'end') prepared ??= backend.prepareNext(next());
    });
    expect(real.answer).toBe('Done.');
    expect(await prepared).toMatchObject({ complete: false });
    expect(server.primes).toEqual([]);
    // Once it has ended, priming works again.
    expect(await backend.prepareNext(next())).toMatchObject({ complete: true });
  });

  it.each([
    ['a refusal', { status: 500 }],
    ['a cut connection', { destroy: true }],
  ])('%s is silent and not retried; the next generation is unaffected', async (_name, prime) => {
    const { server, backend } = await setup(kind, [{ harmony: FINAL }], {}, { prime });
    const prepared = await backend.prepareNext(next());
    expect(prepared.complete).toBe(false);
    expect(server.primes).toHaveLength(1);
    const real = await collect(backend.generate(turn('And b.ts?')));
    expect(real.end.stopReason).toBe('stop');
    expect(real.notices).toEqual([]);
    expect(server.primes).toHaveLength(1);
  });

  it('primeCache off sends no prime', async () => {
    const { server, backend } = await setup(kind, [], { primeCache: 'off' });
    expect(await backend.prepareNext(next())).toMatchObject({ complete: false });
    expect(server.requests).toEqual([]);
  });

  it('Chat Completions (--harmony chat) sends no prime', async () => {
    const { server, backend } = await setup(kind, [], { harmony: 'chat' });
    expect(await backend.prepareNext(next())).toMatchObject({ complete: false });
    expect(server.primes).toEqual([]);
    expect(server.log.filter((line) => line.startsWith('POST'))).toEqual([]);
  });
});

describe('servers that are not primed', () => {
  it.each(['unknown', 'ollama'] as const)('%s gets no prime', async (kind) => {
    const { server, backend } = await setup(kind, [], { primeCache: 'on' });
    expect(await backend.prepareNext(next())).toMatchObject({ complete: false });
    expect(server.log.filter((line) => line.startsWith('POST'))).toEqual([]);
  });

  it('an unknown server spoken to in raw harmony (--harmony raw) gets no prime', async () => {
    const { server, backend } = await setup('unknown', [], { harmony: 'raw', primeCache: 'on' });
    expect(await backend.prepareNext(next())).toMatchObject({ complete: false });
    expect(server.log.filter((line) => line.startsWith('POST'))).toEqual([]);
  });

  it('a server once it refused raw harmony gets no prime', async () => {
    const { server, backend } = await setup('vllm', [
      { status: 404, body: { error: { message: 'Not Found' } } },
      { chat: { answer: 'Hi.' } },
    ]);
    const first = await collect(backend.generate(turn('Hi', [])));
    expect(first.answer).toBe('Hi.');
    await backend.prepareNext(next());
    expect(server.primes).toEqual([]);
  });

  it('auto primes only a server on this machine or a private network; on primes any', () => {
    for (const local of ['http://127.0.0.1:8080/v1', 'http://localhost:8000/v1', 'http://[::1]:8080/v1']) {
      expect(isLocalEndpoint(local)).toBe(true);
    }
    for (const lan of [
      'http://192.168.1.20:8080/v1',
      'http://10.0.0.5/v1',
      'http://172.20.1.1/v1',
      'http://[fd12::1]/v1',
    ]) {
      expect(isLocalEndpoint(lan)).toBe(true);
    }
    for (const remote of [
      'https://api.example.com/v1',
      'http://8.8.8.8/v1',
      'http://172.32.0.1/v1',
      'http://[2001:db8::1]/v1',
      'http://127.0.0.1.example.com/v1',
    ]) {
      expect(isLocalEndpoint(remote)).toBe(false);
    }
    expect(shouldPrime('auto', 'vllm', true, 'https://api.example.com/v1')).toBe(false);
    expect(shouldPrime('on', 'vllm', true, 'https://api.example.com/v1')).toBe(true);
    expect(shouldPrime('on', 'unknown', true, 'http://127.0.0.1/v1')).toBe(false);
    expect(shouldPrime('on', 'llama-server', false, 'http://127.0.0.1/v1')).toBe(false);
  });
});
