// Our embedded backend against node-llama-cpp's plain LlamaCompletion on the
// same model, prompt and settings: prompt and generation tokens per second.
// Target: ours at least 0.95 of the plain path. Meant for a GPU machine with
// a random-weight model of gpt-oss-20b's real shapes (MXFP4 experts, about
// 13.8 GB, written into --dir in about a minute on first use); --shape small (20b's tensor
// types and vocabulary, a few layers) or tiny runs it on a CPU.
// usage: npx tsx test/bench/embedded-vs-completion.ts [--shape 20b|small|tiny] [--dir DIR]
//        [--prompt-tokens N] [--gen-tokens N] [--runs N] [--gpu auto|cpu] [--threads N] [--ctx N]
import os from 'node:os';
import type * as NodeLlamaCpp from 'node-llama-cpp';
import { parseArgs } from 'node:util';
import type { GenerateRequest } from '../../src/model/backend.js';
import { EmbeddedBackend } from '../../src/model/embedded.js';
import { GPT_OSS_20B_SHAPE, gptOssModelFile, SMALL_SHAPE, TINY_SHAPE } from '../fixtures/gpt-oss-gguf.js';
import { renderedTokens } from '../fixtures/tiny-model.js';

const { values } = parseArgs({
  options: {
    shape: { type: 'string', default: '20b' },
    dir: { type: 'string', default: os.tmpdir() },
    'prompt-tokens': { type: 'string', default: '4000' },
    'gen-tokens': { type: 'string', default: '256' },
    runs: { type: 'string', default: '3' },
    gpu: { type: 'string', default: 'auto' },
    threads: { type: 'string' },
    ctx: { type: 'string', default: '8192' },
  },
});
const shape = { tiny: TINY_SHAPE, small: SMALL_SHAPE }[values.shape!] ?? GPT_OSS_20B_SHAPE;
const promptTarget = Number(values['prompt-tokens']);
const genTokens = Number(values['gen-tokens']);
const runs = Number(values.runs);
const contextSize = Number(values.ctx);
const threads = values.threads !== undefined ? { threads: Number(values.threads) } : {};
const gpu = values.gpu === 'cpu' ? (false as const) : ('auto' as const);

const generatedAt = performance.now();
const modelPath = gptOssModelFile(shape, 1, values.dir);
console.error(`model: ${modelPath} (ready in ${((performance.now() - generatedAt) / 1000).toFixed(1)} s)`);

const lib = await import('node-llama-cpp');
const llama = await lib.getLlama({ gpu, build: 'never', logLevel: lib.LlamaLogLevel.error });

/** A request of about `promptTarget` tokens, unique per run so no run reuses another's cache. */
function request(run: number, tokenize: (text: string) => unknown[]): GenerateRequest {
  const filler = 'The quick brown fox jumps over the lazy dog near the river bank. ';
  const perFiller = tokenize(filler).length;
  const user = `Run ${run}: ${filler.repeat(Math.max(1, Math.round(promptTarget / perFiller)))}`;
  return {
    instructions: `Benchmark run ${run}. Answer at length.`,
    messages: [{ role: 'user', content: user }],
    tools: [],
    maxOutputTokens: genTokens,
  };
}

interface Speed {
  promptTokens: number;
  promptTps: number;
  genTps: number;
}

/** Our backend: one generation of `req`, timed from the usage it reports. */
async function ours(backend: EmbeddedBackend, req: GenerateRequest): Promise<Speed> {
  for await (const event of backend.generate(req)) {
    if (event.type !== 'end') continue;
    const { usage } = event;
    if (event.stopReason !== 'length') throw new Error(`unexpected end: ${JSON.stringify(event)}`);
    return {
      promptTokens: usage.promptTokens,
      promptTps: usage.promptTokens / (usage.timeToFirstTokenMs! / 1000),
      genTps: usage.tokensPerSecond!,
    };
  }
  throw new Error('no end event');
}

/** The plain path: the same prompt tokens through LlamaCompletion, from an empty sequence. */
async function plain(
  completion: NodeLlamaCpp.LlamaCompletion,
  sequence: NodeLlamaCpp.LlamaContextSequence,
  prompt: NodeLlamaCpp.Token[],
): Promise<Speed> {
  await sequence.clearHistory();
  const started = performance.now();
  let first = 0;
  let last = 0;
  let tokens = 0;
  await completion.generateCompletionWithMeta(prompt, {
    maxTokens: genTokens,
    temperature: 0,
    repeatPenalty: false,
    onToken: (chunk) => {
      last = performance.now();
      if (tokens === 0) first = last;
      tokens += chunk.length;
    },
  });
  return {
    promptTokens: prompt.length,
    promptTps: prompt.length / ((first - started) / 1000),
    genTps: (tokens - 1) / ((last - first) / 1000),
  };
}

const backend = new EmbeddedBackend({
  modelPath,
  llama: async () => llama,
  gpu,
  contextSize,
  temperature: 0,
  ...threads,
});
const status = await backend.ready();
if (status.state !== 'ready') throw new Error(JSON.stringify(status));
const plainModel = await llama.loadModel({ modelPath });
const plainContext = await plainModel.createContext({ contextSize, ...threads });
const plainSequence = plainContext.getSequence();
const completion = new lib.LlamaCompletion({ contextSequence: plainSequence });

// The two paths take turns, so a machine that gets busier or cooler affects both alike.
// Run 0 warms up (first kernels, caches) and is not counted.
const ourSpeeds: Speed[] = [];
const plainSpeeds: Speed[] = [];
for (let run = 0; run <= runs; run++) {
  const req = request(run, (text) => plainModel.tokenize(text));
  const prompt = renderedTokens(plainModel, req);
  const a = await ours(backend, req);
  const b = await plain(completion, plainSequence, prompt);
  if (run === 0) continue;
  ourSpeeds.push(a);
  plainSpeeds.push(b);
}
await backend.dispose();
await plainContext.dispose();
await plainModel.dispose();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (speeds: Speed[]) => ({
  promptTokens: median(speeds.map((s) => s.promptTokens)),
  promptTps: Math.round(median(speeds.map((s) => s.promptTps))),
  genTps: Number(median(speeds.map((s) => s.genTps)).toFixed(1)),
});

const a = summary(ourSpeeds);
const b = summary(plainSpeeds);
console.log(
  JSON.stringify(
    {
      device: status.device,
      shape: shape.name,
      runs,
      ours: a,
      plainLlamaCompletion: b,
      ratio: {
        prompt: Number((a.promptTps / b.promptTps).toFixed(3)),
        generation: Number((a.genTps / b.genTps).toFixed(3)),
      },
    },
    null,
    2,
  ),
);
await llama.dispose();
