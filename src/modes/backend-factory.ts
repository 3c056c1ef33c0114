// Picks the model backend from the resolved config: an OpenAI-compatible
// server when --endpoint is given, else gpt-oss embedded in this process.
// Each backend module is imported only when chosen, and the embedded one
// loads node-llama-cpp and the model in the background: this returns at once.
import type { AgentConfig, LoadedConfig } from '../config/config.js';
import type { ModelBackend } from '../model/backend.js';
import { describeMissingModel } from '../model/missing-model-message.js';
import { ModelSpecError } from '../model/model-reference.js';
import { resolveModel, type ModelResolution } from '../model/model-resolution.js';

/** There is no model to run: the message says what is missing and every way to get one. */
export class NoModelError extends Error {
  override name = 'NoModelError';
  constructor(
    message: string,
    /** What was looked for, for a UI that offers the download. */
    readonly resolution?: Extract<ModelResolution, { status: 'missing' }>,
  ) {
    super(message);
  }
}

export interface BackendContext {
  /** Relative --model paths are taken from here. */
  cwd: string;
  /** Where the `model` setting came from (a flag or a config file), for messages. */
  sources?: LoadedConfig['sources'];
}

export async function createBackend(
  config: AgentConfig,
  env: NodeJS.ProcessEnv,
  context: BackendContext = { cwd: process.cwd() },
): Promise<ModelBackend> {
  if (config.endpoint) {
    const { OpenAICompatibleBackend } = await import('../model/openai-compatible.js');
    // loadConfig has put the key here only when the user named this endpoint themselves.
    const apiKey = config.apiKey;
    return new OpenAICompatibleBackend({
      endpoint: config.endpoint,
      ...(config.model ? { model: config.model } : {}),
      ...(apiKey ? { apiKey } : {}),
      ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
      ...(config.topP !== undefined ? { topP: config.topP } : {}),
      ...(config.contextSize !== undefined ? { contextSize: config.contextSize } : {}),
      harmony: config.harmony ?? 'auto',
      ...(config.primeCache !== undefined ? { primeCache: config.primeCache } : {}),
      // Even over Chat Completions the server's kind says which field it reads reasoning from.
      detect: true,
    });
  }
  let resolution: ModelResolution;
  try {
    resolution = await resolveModel({
      model: config.model,
      modelSource: context.sources?.model,
      env,
      cwd: context.cwd,
    });
  } catch (error) {
    if (error instanceof ModelSpecError) throw new NoModelError(error.message);
    throw error;
  }
  if (resolution.status === 'missing') throw new NoModelError(describeMissingModel(resolution), resolution);
  const { EmbeddedBackend } = await import('../model/embedded.js');
  const threads = Number(env.GPTOSS_AGENT_THREADS);
  return new EmbeddedBackend({
    modelPath: resolution.path,
    ...(Number.isInteger(threads) && threads > 0 ? { threads } : {}),
    ...(config.contextSize !== undefined ? { contextSize: config.contextSize } : {}),
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
    ...(config.topP !== undefined ? { topP: config.topP } : {}),
  });
}
