// Maps what a server reports about a generation onto GenerationUsage.
//
// Facts relied on (checked against the servers' sources):
// - OpenAI / vLLM: `usage.prompt_tokens` counts the whole prompt, cached part
//   included; `usage.prompt_tokens_details.cached_tokens` is the reused part
//   (vLLM sends it with --enable-prompt-tokens-details).
// - llama-server: the last chunk also carries `timings` with `prompt_n` (prompt
//   tokens evaluated now), `cache_n` (reused from the slot's KV cache),
//   `predicted_n` and `predicted_per_second` (tools/server result_timings).
// - Ollama's /v1 sends only prompt_tokens / completion_tokens.
import type { GenerationUsage } from './backend.js';

export interface ServerUsage {
  usage?: unknown;
  timings?: unknown;
}

export interface LocalTiming {
  /** Clock reading when the request was sent. */
  startedAt: number;
  firstTokenAt?: number;
  lastTokenAt?: number;
  /** Deltas that carried output; roughly one token each. */
  outputDeltas: number;
  contextSize?: number;
}

export function mapUsage(server: ServerUsage, local: LocalTiming): GenerationUsage {
  const usage = record(server.usage);
  const timings = record(server.timings);
  const promptTotal = count(usage?.prompt_tokens);
  const cachedDetail = count(record(usage?.prompt_tokens_details)?.cached_tokens);
  const promptEvaluated = count(timings?.prompt_n);
  const cacheN = count(timings?.cache_n);

  const cachedPromptTokens = cacheN ?? cachedDetail;
  const promptTokens =
    promptEvaluated ??
    (promptTotal !== undefined && cachedPromptTokens !== undefined
      ? Math.max(0, promptTotal - cachedPromptTokens)
      : promptTotal) ??
    0;
  const outputTokens = count(usage?.completion_tokens) ?? count(timings?.predicted_n) ?? local.outputDeltas;

  const result: GenerationUsage = { promptTokens, outputTokens };
  // Only a prompt the server answered was evaluated: one aborted before any output counts nothing.
  if (promptEvaluated === undefined && promptTotal === undefined && local.firstTokenAt !== undefined) {
    result.promptCountedLocally = true;
  }
  if (cachedPromptTokens !== undefined) result.cachedPromptTokens = cachedPromptTokens;
  if (local.firstTokenAt !== undefined) result.timeToFirstTokenMs = local.firstTokenAt - local.startedAt;
  const serverSpeed = timings?.predicted_per_second;
  if (typeof serverSpeed === 'number' && Number.isFinite(serverSpeed) && serverSpeed > 0) {
    result.tokensPerSecond = serverSpeed;
  } else if (local.firstTokenAt !== undefined && local.lastTokenAt !== undefined && outputTokens > 1) {
    // n tokens arrive over n - 1 intervals after the first one.
    const seconds = (local.lastTokenAt - local.firstTokenAt) / 1000;
    if (seconds > 0) result.tokensPerSecond = (outputTokens - 1) / seconds;
  }
  if (local.contextSize !== undefined) result.contextSize = local.contextSize;
  return result;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
