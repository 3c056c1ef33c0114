// The request that sends gpt-oss our own harmony prompt, per server. The
// prompt ends with `<|start|>assistant`; the model goes on from there and stops
// at `<|call|>` (a tool call) or `<|return|>` (the final answer).
//
// Facts relied on, per server (checked against their sources and docs):
// - vLLM, POST /v1/completions: special tokens are dropped from the text unless
//   `skip_special_tokens: false`; `spaces_between_special_tokens: false` keeps the
//   detokenizer from adding a space around them; `stop_token_ids` 200012 (`<|call|>`)
//   and 200002 (`<|return|>`) end the generation (the token is not in the text);
//   `stream_options.include_usage` adds a last chunk with `usage`. Its legacy
//   completions stop after 16 tokens unless `max_tokens` says otherwise; `null`
//   means "as many as the context leaves".
// - llama-server, POST /v1/completions: a text prompt's special tokens are parsed as
//   tokens; `<|call|>` and `<|return|>` are end-of-generation tokens for gpt-oss.
// - Both take the prompt as token ids too, which is how it is sent (harmony-token-ids.ts):
//   text in a message can then never become harmony structure. Ollama takes text only.
//   Its output renders `<|start|>`, `<|channel|>`, `<|message|>` and `<|constrain|>`
//   as text but not `<|end|>`, `<|call|>`, `<|return|>` (unless started with
//   --special); the parser reads both shapes. `cache_prompt` reuses the slot's KV cache.
// - Ollama, POST /api/generate with `raw: true`: no template and no output parser;
//   the text comes back as generated, in `response`; `options.stop` strings end it. Its
//   tokenizer parses special tokens anywhere in the text, so the messages' own text is
//   made inert first (harmony-inert-text.ts).
import type { GenerateRequest } from './backend.js';
import type { SamplingOptions } from './chat-request.js';
import { harmonyText, renderHarmonyPromptParts } from './harmony/render.js';
import { inertHarmonyText } from './harmony-inert-text.js';
import { harmonyTokenIds } from './harmony-token-ids.js';
import type { ServerKind } from './server-dialect.js';

export const HARMONY_STOP_STRINGS = ['<|call|>', '<|return|>'];
/** o200k_harmony ids of `<|call|>` and `<|return|>`. */
export const HARMONY_STOP_TOKEN_IDS = [200012, 200002];

export interface RawRequestPlan {
  /** Where to POST, relative to the server (the endpoint or its root). */
  url: string;
  body: Record<string, unknown>;
  /** How the body streams: server-sent events or one JSON object per line. */
  framing: 'sse' | 'ndjson';
  /** The prompt's text, for counting its tokens when the server gives no usage. */
  prompt: string;
  /** Its token ids, when it was sent as tokens. */
  promptIds?: number[];
  /** The prompt went as text with the messages' text made inert. */
  inert?: boolean;
}

export interface RawRequestTarget {
  kind: ServerKind;
  /** The OpenAI base URL (…/v1) and the server's root. */
  endpoint: string;
  origin: string;
  model: string;
}

export async function buildRawRequest(
  target: RawRequestTarget,
  request: GenerateRequest,
  sampling: SamplingOptions & { contextSize?: number },
): Promise<RawRequestPlan> {
  const parts = renderHarmonyPromptParts(request);
  if (target.kind === 'ollama') {
    // Text only, with special tokens parsed anywhere in it: the messages' text is made inert.
    const prompt = inertHarmonyText(parts);
    const options: Record<string, unknown> = { stop: HARMONY_STOP_STRINGS };
    if (sampling.temperature !== undefined) options.temperature = sampling.temperature;
    if (sampling.topP !== undefined) options.top_p = sampling.topP;
    if (request.maxOutputTokens !== undefined) options.num_predict = request.maxOutputTokens;
    if (sampling.contextSize !== undefined) options.num_ctx = sampling.contextSize;
    return {
      url: `${target.origin}/api/generate`,
      body: { model: target.model, prompt, raw: true, stream: true, options },
      framing: 'ndjson',
      prompt,
      inert: true,
    };
  }
  const prompt = harmonyText(parts);
  const promptIds = await harmonyTokenIds(parts);
  const body: Record<string, unknown> = {
    model: target.model,
    prompt: promptIds,
    stream: true,
    stream_options: { include_usage: true },
    stop: HARMONY_STOP_STRINGS,
  };
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  else if (target.kind !== 'llama-server') body.max_tokens = null; // llama-server's default is already unlimited
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.topP !== undefined) body.top_p = sampling.topP;
  if (target.kind === 'vllm' || target.kind === 'unknown') {
    // vLLM's extra parameters; other OpenAI-style servers ignore what they do not know.
    body.skip_special_tokens = false;
    body.spaces_between_special_tokens = false;
    body.stop_token_ids = HARMONY_STOP_TOKEN_IDS;
  }
  if (target.kind === 'llama-server') body.cache_prompt = true;
  return { url: `${target.endpoint}/completions`, body, framing: 'sse', prompt, promptIds };
}
