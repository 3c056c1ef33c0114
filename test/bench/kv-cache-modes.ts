// Memory of the two ways to rewind into gpt-oss's sliding-window KV cache:
// checkpoints (what the embedded backend uses: each turn's start is
// checkpointed) against swaFullCache (full KV for the sliding-window layers
// too). Uses random-weight models with gpt-oss-20b's and -120b's attention
// shapes (layers, heads, KV heads, head size, window; the rest shrunk, as it
// does not touch the KV cache), on CPU: node-llama-cpp's estimate of each
// context's memory, and the measured size of one checkpoint. Which tokens
// each mode re-evaluates is measured by embedded-tool-session.ts.
// usage: npx tsx test/bench/kv-cache-modes.ts
import { formatBytes } from '../../tools/text/format-bytes.js';
import { GPT_OSS_20B_SHAPE, gptOssModelFile, type GptOssShape } from '../fixtures/gpt-oss-gguf.js';

const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });

const attentionTwin = (name: string, layers: number): GptOssShape => ({
  ...GPT_OSS_20B_SHAPE,
  name,
  layers,
  embedding: 256,
  experts: 4,
  expertsUsed: 2,
  expertFeedForward: 256,
  vocab: 0,
  expertType: 'F16',
  denseType: 'F16',
});

const rows: Record<string, string | number>[] = [];
for (const [label, shape] of [
  ['20b', attentionTwin('gpt-oss 20b-attention test model', 24)],
  ['120b', attentionTwin('gpt-oss 120b-attention test model', 36)],
] as const) {
  const model = await llama.loadModel({ modelPath: gptOssModelFile(shape) });
  // One checkpoint, measured: evaluate past the window, then checkpoint.
  const context = await model.createContext({ contextSize: 2048, threads: 2 });
  const sequence = context.getSequence();
  await sequence.evaluateWithoutGeneratingNewTokens(model.tokenize('hello world '.repeat(25)));
  await sequence.takeCheckpoint();
  const checkpoint = sequence.checkpointsMemoryUsage;
  await context.dispose();
  for (const contextSize of [8192, 32768, 131072]) {
    const estimate = async (swaFullCache: boolean) =>
      (await model.fileInsights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: 0, swaFullCache }))
        .cpuRam;
    const checkpoints = await estimate(false);
    const full = await estimate(true);
    rows.push({
      model: label,
      contextSize,
      'context (checkpoints)': formatBytes(checkpoints),
      'context (swaFullCache)': formatBytes(full),
      'swaFullCache costs': formatBytes(full - checkpoints),
      'one checkpoint': formatBytes(checkpoint),
      '32 checkpoints (the most kept)': formatBytes(checkpoint * 32),
    });
  }
  await model.dispose();
}
console.table(rows);
await llama.dispose();
