// The next prompt's start evaluated in the background (prepareNext) on the real
// embedded backend and the tiny random-weight gpt-oss model: what it leaves
// for the prompt, a prompt or a close arriving halfway, a conversation that
// changes meanwhile, and the model's output unchanged by it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlamaModel } from 'node-llama-cpp';
import type {
  BackendStatus,
  ChatMessage,
  GenerateRequest,
  NextRequest,
  PreparedContext,
  ToolSpec,
} from '../../src/model/backend.js';
import type { EmbeddedBackend } from '../../src/model/embedded.js';
import { renderHarmonyNextUserParts, type HarmonyPart } from '../../src/model/harmony/render.js';
import { loadTinyModel, renderedTokens, tinyBackend, type TinyModel } from '../fixtures/tiny-model.js';
import { collect } from './model-events.js';

const readFile: ToolSpec = {
  name: 'read_file',
  description: 'Read a file of the repository.',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};
const INSTRUCTIONS = 'You are a coding agent. Answer briefly.';
/** Tokens a background evaluation does between abort checks (embedded-kv.ts). */
const CHUNK = 512;

const next = (messages: ChatMessage[]): NextRequest => ({ instructions: INSTRUCTIONS, messages, tools: [readFile] });
const request = (messages: ChatMessage[], extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  ...next(messages),
  maxOutputTokens: 6,
  ...extra,
});

/** A first turn that read two long files and answered, as the loop keeps it (reasoning included). */
const turn1: ChatMessage[] = [
  { role: 'user', content: 'Summarise the notes.' },
  ...[1, 2].flatMap((round): ChatMessage[] => [
    {
      role: 'assistant',
      content: '',
      reasoning: 'I should read the next note. '.repeat(4),
      toolCalls: [{ id: `call_${round}`, name: 'read_file', arguments: JSON.stringify({ path: `n${round}.txt` }) }],
    },
    { role: 'tool', toolCallId: `call_${round}`, name: 'read_file', content: `note ${round} says hello\n`.repeat(40) },
  ]),
  { role: 'assistant', content: 'They both say hello.', reasoning: 'Both notes read.' },
];
/** The same turn once ended: the next request drops its reasoning. */
const ended = turn1.map((m) => {
  if (m.role !== 'assistant') return m;
  const { reasoning: _dropped, ...rest } = m;
  return rest;
});
const turn2 = [...ended, { role: 'user' as const, content: 'And the third note?' }];

let tiny: TinyModel;
let tokenizer: LlamaModel;
const tokensOf = (parts: HarmonyPart[]) =>
  parts.flatMap((part) =>
    typeof part === 'string' ? tokenizer.tokenize(part, false) : tokenizer.tokenize(part.special, true),
  );

beforeAll(async () => {
  tiny = await loadTinyModel();
  tokenizer = await tiny.llama.loadModel({ modelPath: tiny.modelPath });
});
afterAll(async () => {
  await tokenizer?.dispose();
});

/** A backend whose cache holds the first turn, as it does when that turn's last generation ended. */
async function afterTurn1(options: Parameters<typeof tinyBackend>[1] = {}): Promise<EmbeddedBackend> {
  const backend = tinyBackend(tiny, options);
  await collect(backend.generate(request([turn1[0]!])));
  for (const end of [3, 5]) await collect(backend.generate(request(turn1.slice(0, end))));
  return backend;
}

/** Calls `act` once the background evaluation has done `chunks` chunks (status reports each). */
function onceEvaluated(backend: EmbeddedBackend, chunks: number, act: () => void): void {
  const stop = backend.onStatus((status: BackendStatus) => {
    if (status.state === 'ready' && status.preparing && status.preparing.done >= chunks * CHUNK) {
      stop();
      act();
    }
  });
}

describe('embedded backend: the next prompt prepared in the background', () => {
  it('leaves only the new message to evaluate when the next turn comes', async () => {
    const backend = await afterTurn1();
    const prefix = tokensOf(renderHarmonyNextUserParts(next(ended)));
    const prompt = renderedTokens(tokenizer, request(turn2));
    expect(prompt.slice(0, prefix.length)).toEqual(prefix);

    const prepared = await backend.prepareNext(next(ended));
    // The ended turn's reasoning is gone, so everything after its first message is read again, now.
    expect(prepared).toMatchObject({ tokens: prefix.length, complete: true });
    expect(prepared.evaluated).toBeGreaterThan(600);
    expect(prepared.reused + prepared.evaluated).toBe(prefix.length);
    expect(backend.status()).not.toHaveProperty('preparing');

    const { usage } = (await collect(backend.generate(request(turn2)))).end;
    expect(usage.promptTokens).toBe(prompt.length - prefix.length);
    expect(usage.cachedPromptTokens).toBe(prefix.length);
    await backend.dispose();
  });

  it('reads the instructions before the first prompt, and the first prompt only its message', async () => {
    const backend = tinyBackend(tiny);
    const statuses: BackendStatus[] = [];
    backend.onStatus((status) => statuses.push(status));
    const prepared = await backend.prepareNext(next([]));
    const prefix = tokensOf(renderHarmonyNextUserParts(next([])));
    expect(prepared).toEqual({ tokens: prefix.length, reused: 0, evaluated: prefix.length, complete: true });
    expect(statuses.some((s) => s.state === 'ready' && s.preparing?.done === 0)).toBe(true);
    expect(statuses.at(-1)).toEqual({ state: 'ready', contextSize: 8192, device: 'CPU' });

    const first = request([{ role: 'user', content: 'Hello there.' }]);
    const { usage } = (await collect(backend.generate(first))).end;
    expect(usage.promptTokens).toBe(renderedTokens(tokenizer, first).length - prefix.length);
    // Preparing what the cache already holds evaluates nothing.
    expect(await backend.prepareNext(next([]))).toMatchObject({ evaluated: 0, complete: true });
    await backend.dispose();
  });

  it('hands a prompt arriving halfway what was evaluated, and evaluates only the rest', async () => {
    const backend = await afterTurn1();
    let generation: ReturnType<typeof collect> | undefined;
    onceEvaluated(backend, 1, () => (generation = collect(backend.generate(request(turn2)))));
    const prepared = await backend.prepareNext(next(ended));
    expect(prepared.complete).toBe(false);
    expect(prepared.evaluated).toBe(CHUNK);

    const { usage } = (await generation!).end;
    const prompt = renderedTokens(tokenizer, request(turn2));
    // Nothing twice: the prompt took over exactly where the background evaluation stopped.
    expect(usage.cachedPromptTokens).toBe(prepared.reused + prepared.evaluated);
    expect(usage.promptTokens).toBe(prompt.length - prepared.reused - prepared.evaluated);
    await backend.dispose();
  });

  it('finishes the chunk in flight when a prompt arrives during it, and the prompt takes over after it', async () => {
    const backend = await afterTurn1();
    let generation: ReturnType<typeof collect> | undefined;
    // By the time this runs, the next chunk has been sent to llama.cpp.
    onceEvaluated(backend, 1, () => setImmediate(() => (generation = collect(backend.generate(request(turn2))))));
    const prepared = await backend.prepareNext(next(ended));
    expect(prepared.complete).toBe(false);
    expect(prepared.evaluated % CHUNK).toBe(0);
    expect(prepared.evaluated).toBeGreaterThanOrEqual(2 * CHUNK);

    const { usage } = (await generation!).end;
    const prompt = renderedTokens(tokenizer, request(turn2));
    expect(usage.cachedPromptTokens).toBe(prepared.reused + prepared.evaluated);
    expect(usage.promptTokens).toBe(prompt.length - prepared.reused - prepared.evaluated);
    await backend.dispose();
  });

  it('stops between chunks when the backend closes, and the close does not wait for the rest', async () => {
    const backend = await afterTurn1();
    let closed: Promise<void> | undefined;
    onceEvaluated(backend, 1, () => (closed = backend.dispose()));
    const prepared = await backend.prepareNext(next(ended));
    expect(prepared).toMatchObject({ complete: false, evaluated: CHUNK });
    await closed;
    const after = await collect(backend.generate(request(turn2)));
    expect(after.end.stopReason).toBe('error');
    expect(after.end.error?.message).toMatch(/closed/);
  });

  it('follows the newest conversation when it changes while preparing (/clear)', async () => {
    // Greedy: a seeded sampler's state follows the sequence's earlier generations, which a new session lacks.
    const settings = { temperature: 0 };
    const backend = await afterTurn1(settings);
    let clearing: Promise<PreparedContext> | undefined;
    onceEvaluated(backend, 1, () => (clearing = backend.prepareNext(next([]))));
    const stale = await backend.prepareNext(next(ended));
    expect(stale).toMatchObject({ complete: false, evaluated: CHUNK });
    const fresh = await clearing!;
    const prefix = tokensOf(renderHarmonyNextUserParts(next([])));
    // The instructions and the user message's start were already there: a true prefix is kept, not re-read.
    expect(fresh).toEqual({ tokens: prefix.length, reused: prefix.length, evaluated: 0, complete: true });

    const afresh = request([{ role: 'user', content: 'New question.' }], { maxOutputTokens: 24 });
    const cleared = await collect(backend.generate(afresh));
    expect(cleared.end.usage.promptTokens).toBe(renderedTokens(tokenizer, afresh).length - prefix.length);
    await backend.dispose();
    // What the model then writes is what a new session writes for the same prompt.
    const newSession = tinyBackend(tiny, settings);
    const expected = await collect(newSession.generate(afresh));
    await newSession.dispose();
    const written = (events: typeof expected.events) => JSON.stringify(events.filter((e) => e.type !== 'end'));
    expect(written(cleared.events)).toBe(written(expected.events));
  });

  it('leaves the model’s output unchanged: the same tokens with and without it (fixed seed)', async () => {
    const settings = { temperature: 1, seed: 1234 };
    const outputs: string[] = [];
    for (const prepare of [false, true, 'halfway'] as const) {
      const backend = await afterTurn1(settings);
      let generation: ReturnType<typeof collect> | undefined;
      if (prepare === 'halfway') {
        onceEvaluated(
          backend,
          1,
          () => (generation = collect(backend.generate(request(turn2, { maxOutputTokens: 24 })))),
        );
      }
      if (prepare) await backend.prepareNext(next(ended));
      generation ??= collect(backend.generate(request(turn2, { maxOutputTokens: 24 })));
      const result = await generation;
      outputs.push(JSON.stringify(result.events.filter((event) => event.type !== 'end')));
      expect(result.end.usage.outputTokens).toBeGreaterThan(0);
      await backend.dispose();
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });
});
