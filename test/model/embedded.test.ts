// The embedded backend on a real (tiny, random-weight) gpt-oss model through
// node-llama-cpp on CPU: loading, streaming, aborting, and the KV cache kept
// across tool rounds and turns, measured by the sequence's own token meter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, GenerateRequest, ToolSpec } from '../../src/model/backend.js';
import type { EmbeddedBackend } from '../../src/model/embedded.js';
import { loadTinyModel, renderedTokens, tinyBackend, type TinyModel } from '../fixtures/tiny-model.js';
import { collect } from './model-events.js';

const readFile: ToolSpec = {
  name: 'read_file',
  description: 'Read a file of the repository.',
  parameters: {
    type: 'object',
    properties: { path: { type: 'string' }, start_line: { type: 'integer', minimum: 1 } },
    required: ['path'],
    additionalProperties: false,
  },
};
const INSTRUCTIONS = 'You are a coding agent. Answer briefly.';

function request(messages: ChatMessage[], extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return { instructions: INSTRUCTIONS, messages, tools: [readFile], maxOutputTokens: 8, ...extra };
}

let tiny: TinyModel;
let backend: EmbeddedBackend;
/** Tokens of a request's prompt, rendered as the backend renders it. */
let promptOf: (request: GenerateRequest) => number[];

beforeAll(async () => {
  tiny = await loadTinyModel();
  backend = tinyBackend(tiny);
  const model = await tiny.llama.loadModel({ modelPath: tiny.modelPath });
  promptOf = (req) => renderedTokens(model, req);
});
afterAll(async () => {
  await backend?.dispose();
});

/** Evaluated beyond the new prompt tokens: the few between a restored checkpoint and the rewind point. */
const OVERHEAD = 4;

/** Tokens of `next` that `previous` did not already start with. */
function newTokens(previous: GenerateRequest, next: GenerateRequest): { shared: number; fresh: number } {
  const a = promptOf(previous);
  const b = promptOf(next);
  let shared = 0;
  while (shared < a.length && a[shared] === b[shared]) shared++;
  return { shared, fresh: b.length - shared };
}

/** A tool call the model made, its result, as the loop puts them into the history. */
function toolRound(id: string, path: string, result: string, reasoning?: string): ChatMessage[] {
  return [
    {
      role: 'assistant',
      content: '',
      ...(reasoning ? { reasoning } : {}),
      toolCalls: [{ id, name: 'read_file', arguments: JSON.stringify({ path }) }],
    },
    { role: 'tool', toolCallId: id, name: 'read_file', content: result },
  ];
}

describe('embedded backend on a tiny gpt-oss model', () => {
  it('loads in the background and reports progress, then ready with the device and context size', async () => {
    const fresh = tinyBackend(tiny, { contextSize: 2048 });
    const seen: string[] = [];
    fresh.onStatus((status) => seen.push(status.state));
    // The constructor returned before the model was there.
    expect(fresh.status().state).toBe('loading');
    const status = await fresh.ready();
    expect(status).toEqual({ state: 'ready', contextSize: 2048, device: 'CPU' });
    expect(seen.at(-1)).toBe('ready');
    expect(seen).toContain('loading');
    await fresh.dispose();
  });

  it('stops waiting for the model when aborted, and goes on loading for the next turn', async () => {
    const fresh = tinyBackend(tiny, { contextSize: 2048 });
    const controller = new AbortController();
    const waiting = collect(fresh.generate(request([{ role: 'user', content: 'hi' }], { signal: controller.signal })));
    controller.abort();
    expect((await waiting).end.stopReason).toBe('aborted');
    expect(fresh.status().state).toBe('loading');
    expect((await fresh.ready()).state).toBe('ready');
    await fresh.dispose();
  });

  it('streams the answer and reports usage with the context size', async () => {
    const result = await collect(backend.generate(request([{ role: 'user', content: 'Say hi' }])));
    expect(result.end.stopReason).toBe('length');
    expect(result.answer.length).toBeGreaterThan(0);
    expect(result.events.filter((e) => e.type === 'answer').length).toBeGreaterThan(1);
    expect(result.end.usage).toMatchObject({ outputTokens: 8, contextSize: 8192 });
    expect(result.end.usage.promptTokens).toBeGreaterThan(100);
    expect(result.end.usage.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('evaluates only the new tokens of a tool round placed in the history', async () => {
    const turn: ChatMessage[] = [{ role: 'user', content: 'What does notes.txt say?' }];
    const first = request([...turn]);
    await collect(backend.generate(first));
    let previous = first;
    for (let round = 1; round <= 3; round++) {
      turn.push(
        ...toolRound(`call_${round}`, `notes-${round}.txt`, `line ${round}\n`.repeat(20), `Reading part ${round}.`),
      );
      const next = request([...turn]);
      const { shared, fresh } = newTokens(previous, next);
      const { usage } = (await collect(backend.generate(next))).end;
      expect(usage.promptTokens).toBeLessThanOrEqual(fresh + OVERHEAD);
      expect(usage.promptTokens).toBeGreaterThanOrEqual(fresh);
      expect(usage.cachedPromptTokens).toBeGreaterThanOrEqual(shared - 1);
      previous = next;
    }
  });

  it('reuses the cache at a new turn that drops the last turn’s reasoning', async () => {
    // A long turn: its start lies far outside the sliding window (32 positions in this model).
    const turn1: ChatMessage[] = [{ role: 'user', content: 'Summarise the three notes.' }];
    await collect(backend.generate(request([...turn1])));
    let previous = request([...turn1]);
    for (let round = 1; round <= 3; round++) {
      turn1.push(...toolRound(`t1_${round}`, `n${round}.txt`, 'some text\n'.repeat(30), 'I keep reading.'.repeat(5)));
      previous = request([...turn1]);
      await collect(backend.generate(previous));
    }
    turn1.push({ role: 'assistant', content: 'They are all the same.', reasoning: 'Done reading.' });
    // The loop drops the finished turn's reasoning when the next turn starts.
    const turn2: ChatMessage[] = [
      ...turn1.map((m) => (m.role === 'assistant' ? { ...m, reasoning: undefined } : m)),
      { role: 'user', content: 'And the fourth?' },
    ] as ChatMessage[];
    const next = request(turn2);
    const { shared, fresh } = newTokens(previous, next);
    expect(fresh).toBeGreaterThan(300);
    const { usage } = (await collect(backend.generate(next))).end;
    expect(usage.cachedPromptTokens).toBeGreaterThanOrEqual(shared - 2);
    expect(usage.promptTokens).toBeLessThanOrEqual(fresh + OVERHEAD);
  });

  it('stops at an abort with what was generated, and the next generation works', async () => {
    const controller = new AbortController();
    let answers = 0;
    const aborted = await collect(
      backend.generate(
        request([{ role: 'user', content: 'Write a lot.' }], { maxOutputTokens: 200, signal: controller.signal }),
      ),
      (event) => {
        if (event.type === 'answer' && ++answers === 5) controller.abort();
      },
    );
    expect(aborted.end.stopReason).toBe('aborted');
    expect(aborted.answer.length).toBeGreaterThan(0);
    expect(aborted.end.usage.outputTokens).toBeLessThan(100);

    const before = new AbortController();
    before.abort();
    const never = await collect(backend.generate(request([{ role: 'user', content: 'x' }], { signal: before.signal })));
    expect(never.end.stopReason).toBe('aborted');

    const next = await collect(backend.generate(request([{ role: 'user', content: 'Again.' }])));
    expect(next.end.stopReason).toBe('length');
    expect(next.answer.length).toBeGreaterThan(0);
  });

  it('holds the final answer to the response schema', async () => {
    const schema = {
      type: 'object',
      properties: { verdict: { enum: ['ok', 'bad'] }, blocking: { type: 'boolean' } },
      required: ['verdict', 'blocking'],
      additionalProperties: false,
    };
    const result = await collect(
      backend.generate(
        request([{ role: 'user', content: 'Review it.' }], { responseSchema: schema, maxOutputTokens: 200 }),
      ),
    );
    expect(result.end.stopReason, result.answer).toBe('stop');
    const parsed = JSON.parse(result.answer) as { verdict: string; blocking: boolean };
    expect(['ok', 'bad']).toContain(parsed.verdict);
    expect(typeof parsed.blocking).toBe('boolean');
  });

  it('counts tokens with the model’s tokenizer', async () => {
    // h, e → "he" (a merge of the test vocabulary), l, l, o.
    expect(await backend.countTokens('hello')).toBe(4);
  });

  it('reports a file that is not a model as a failed load and a failed generation', async () => {
    const broken = tinyBackend(tiny, { modelPath: new URL(import.meta.url).pathname });
    const status = await broken.ready();
    expect(status.state).toBe('failed');
    const result = await collect(broken.generate(request([{ role: 'user', content: 'hi' }])));
    expect(result.end.stopReason).toBe('error');
    expect(result.end.error?.message).toContain('embedded.test.ts');
    expect(result.end.error?.hint).toMatch(/--model PATH/);
    await broken.dispose();
  });
});
