// Picks the model backend from the resolved config. Each backend module is
// imported only when chosen, so a mode that never talks to a model (and the
// HTTP path, which never needs node-llama-cpp) does not pay for loading it.
import type { AgentConfig } from '../config/config.js';
import type { ModelBackend } from '../model/backend.js';

/** No way to reach a model was configured: the message says every way to get one. */
export class NoModelError extends Error {
  override name = 'NoModelError';
}

export async function createBackend(config: AgentConfig, env: NodeJS.ProcessEnv): Promise<ModelBackend> {
  if (config.endpoint) {
    const { OpenAICompatibleBackend } = await import('../model/openai-compatible.js');
    const apiKey = config.apiKey ?? env.GPTOSS_AGENT_API_KEY;
    return new OpenAICompatibleBackend({
      endpoint: config.endpoint,
      ...(config.model ? { model: config.model } : {}),
      ...(apiKey ? { apiKey } : {}),
      ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
      ...(config.topP !== undefined ? { topP: config.topP } : {}),
    });
  }
  throw new NoModelError(
    'No model to run: the embedded backend is not available in this build.\n' +
      'Point the agent at an OpenAI-compatible server that serves gpt-oss, e.g.\n' +
      '  gptoss-agent --endpoint http://127.0.0.1:8080/v1      (llama-server)\n' +
      '  gptoss-agent --endpoint http://127.0.0.1:11434/v1 --model gpt-oss:20b   (Ollama)',
  );
}
