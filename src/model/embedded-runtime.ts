// Loading gpt-oss into this process: llama.cpp's bindings (node-llama-cpp
// picks CUDA, Vulkan, Metal or CPU from its prebuilt binaries), the model
// weights, one context and the one sequence every generation reuses, so the
// KV cache lives as long as the session.
import path from 'node:path';
import type * as NodeLlamaCpp from 'node-llama-cpp';
import type { ModelFailure } from './backend.js';

export type Library = typeof NodeLlamaCpp;

export interface RuntimeOptions {
  modelPath: string;
  /** A fixed context size (--ctx); chosen from free memory when absent. */
  contextSize?: number;
  /** 'auto' lets node-llama-cpp pick the GPU backend; false forces the CPU. */
  gpu?: 'auto' | false;
  /** CPU threads for evaluation; node-llama-cpp's choice when absent. */
  threads?: number;
  /** Keep full KV for the sliding-window layers instead of relying on checkpoints. */
  swaFullCache?: boolean;
  /** A shared llama.cpp instance (tests load several models); made here when absent. */
  llama?: () => Promise<NodeLlamaCpp.Llama>;
}

export interface Runtime {
  lib: Library;
  llama: NodeLlamaCpp.Llama;
  model: NodeLlamaCpp.LlamaModel;
  context: NodeLlamaCpp.LlamaContext;
  sequence: NodeLlamaCpp.LlamaContextSequence;
  /** e.g. "CUDA: NVIDIA H100 80GB HBM3" or "CPU". */
  device: string;
}

/** A load that failed in a way the user can act on. */
export class RuntimeLoadError extends Error {
  override name = 'RuntimeLoadError';
  constructor(readonly failure: ModelFailure) {
    super(failure.message);
  }
}

/** Auto-sized contexts never go below this (the instructions and tools alone take about 1,500 tokens). */
const MIN_AUTO_CONTEXT = 8192;

export type LoadProgress = (progress: number, message: string) => void;

export async function loadRuntime(
  options: RuntimeOptions,
  onProgress: LoadProgress,
  signal: AbortSignal,
): Promise<Runtime> {
  const errors: string[] = [];
  onProgress(0, 'starting llama.cpp');
  const lib = await import('node-llama-cpp');
  let llama: NodeLlamaCpp.Llama;
  try {
    llama = options.llama
      ? await options.llama()
      : await lib.getLlama({
          gpu: options.gpu ?? 'auto',
          // A surprise compile of llama.cpp would take minutes; a clear error is better.
          build: 'never',
          logLevel: lib.LlamaLogLevel.error,
          // llama.cpp's own errors are kept for our message instead of going to the terminal.
          logger: (_level, message) => errors.push(message.trim()),
        });
  } catch (error) {
    throw new RuntimeLoadError({
      message: `node-llama-cpp could not start llama.cpp on this machine: ${messageOf(error)}`,
      hint:
        'Reinstall the agent (npm install) so its prebuilt llama.cpp binaries are present, or build them with ' +
        '"npx --no node-llama-cpp source build". An OpenAI-compatible server works too: --endpoint URL.',
    });
  }

  try {
    return await loadModelInto(lib, llama, options, onProgress, signal, errors);
  } catch (error) {
    if (!options.llama) await llama.dispose();
    throw error;
  }
}

async function loadModelInto(
  lib: Library,
  llama: NodeLlamaCpp.Llama,
  options: RuntimeOptions,
  onProgress: LoadProgress,
  signal: AbortSignal,
  errors: string[],
): Promise<Runtime> {
  const file = path.basename(options.modelPath);
  const info = await lib.readGgufFileInfo(options.modelPath, { readTensorInfo: false }).catch((error: unknown) => {
    throw new RuntimeLoadError(unreadableModel(options.modelPath, error));
  });
  const architecture = String(info.metadata.general.architecture);
  if (architecture !== 'gpt-oss') {
    throw new RuntimeLoadError({
      message: `${file} is a ${architecture} model; gptoss-agent runs gpt-oss models (they speak the harmony format).`,
      hint: 'Download one with "gptoss-agent pull", or pass a gpt-oss GGUF with --model PATH.',
    });
  }

  onProgress(0.02, `loading ${file}`);
  let model: NodeLlamaCpp.LlamaModel;
  try {
    model = await llama.loadModel({
      modelPath: options.modelPath,
      loadSignal: signal,
      onLoadProgress: (progress) => onProgress(0.02 + progress * 0.93, `loading ${file}`),
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new RuntimeLoadError(
      error instanceof lib.InsufficientMemoryError
        ? {
            message: `Not enough memory to load ${file}: ${messageOf(error)}`,
            hint: 'Close other programs, use a smaller model (gptoss-agent pull 20b), or run it on a server: --endpoint URL.',
          }
        : unreadableModel(options.modelPath, error, errors),
    );
  }

  onProgress(0.95, 'allocating the context');
  const train = model.trainContextSize;
  let context: NodeLlamaCpp.LlamaContext;
  try {
    context = await model.createContext({
      contextSize: options.contextSize ?? { min: Math.min(MIN_AUTO_CONTEXT, train), max: train },
      sequences: 1,
      createSignal: signal,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.swaFullCache ? { swaFullCache: true } : {}),
    });
  } catch (error) {
    await model.dispose();
    if (signal.aborted) throw error;
    const asked = options.contextSize !== undefined ? `a context of ${options.contextSize} tokens` : 'a usable context';
    throw new RuntimeLoadError({
      message: `Not enough memory for ${asked} with ${file}: ${messageOf(error)}`,
      hint:
        options.contextSize !== undefined
          ? 'Ask for less with --ctx (e.g. --ctx 16384), or leave --ctx out to size it from free memory.'
          : 'Close other programs or choose a size with --ctx (e.g. --ctx 8192).',
    });
  }
  const sequence = context.getSequence();
  onProgress(1, 'ready');
  return { lib, llama, model, context, sequence, device: await describeDevice(llama, model) };
}

export async function disposeRuntime(runtime: Runtime, ownsLlama: boolean): Promise<void> {
  await runtime.context.dispose();
  await runtime.model.dispose();
  if (ownsLlama) await runtime.llama.dispose();
}

/** What node-llama-cpp computes on, as the user knows it: CUDA, Metal, Vulkan or CPU. */
export function computeBackendName(gpu: NodeLlamaCpp.Llama['gpu']): string {
  return gpu === 'cuda' ? 'CUDA' : gpu === 'metal' ? 'Metal' : gpu === 'vulkan' ? 'Vulkan' : 'CPU';
}

async function describeDevice(llama: NodeLlamaCpp.Llama, model: NodeLlamaCpp.LlamaModel): Promise<string> {
  if (llama.gpu === false || model.gpuLayers === 0) return 'CPU';
  const names = await llama.getGpuDeviceNames().catch(() => []);
  const backend = computeBackendName(llama.gpu);
  const layers = model.fileInsights.totalLayers;
  // A model too big for the GPU runs partly on the CPU, and much slower: worth saying.
  const split = model.gpuLayers < layers ? ` (${model.gpuLayers} of ${layers} layers; the rest on the CPU)` : '';
  return `${backend}: ${names.length > 0 ? names.join(', ') : 'GPU'}${split}`;
}

function unreadableModel(modelPath: string, error: unknown, logged: string[] = []): ModelFailure {
  const detail = [messageOf(error), ...logged.slice(-2)].filter(Boolean).join('; ');
  return {
    message: `Cannot load the model file ${modelPath}: ${detail}`,
    hint:
      'Check that it is a complete gpt-oss GGUF (a download cut short is too small: run "gptoss-agent pull" again), ' +
      'or pass another file with --model PATH.',
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
