// Filling a server's prefix cache while the user types: the conversation as the
// next request will send it, up to `<|start|>user<|message|>`, sent as the same
// token ids (the renderer's structure ends a text run at every special token, so
// these ids are a prefix of the next request's, token for token) in a request that
// generates nothing or one token. The real request then finds that prefix cached.
//
// Facts relied on (checked against the servers' sources):
// - llama-server: `n_predict: 0` still evaluates the whole prompt (the budget is only
//   checked once a token is sampled, so one token comes back) and `cache_prompt` keeps it
//   in the slot, whose last prompt token is evaluated again by the next request; a request
//   cancelled mid-prompt leaves what was evaluated so far in the slot's cache. Without
//   `id_slot` the server picks the idle slot whose cached prompt shares the most with the
//   new one, which the real request (whose prompt starts with the primed one) does too.
//   The answer carries `timings.prompt_n` (evaluated now) and `timings.cache_n`.
// - vLLM: `max_tokens` must be at least 1; automatic prefix caching is on by default in
//   its V1 engine and keeps whole blocks (16 tokens by default); `usage.prompt_tokens` is
//   the whole prompt and `prompt_tokens_details.cached_tokens` the reused part (with
//   --enable-prompt-tokens-details).
// - Ollama is left out: whether `num_predict: 0` loads the prompt into its runner's cache
//   is not something its API promises.
import type { PreparedContext } from './backend.js';
import type { ServerKind } from './server-dialect.js';
import { mapUsage } from './usage-mapping.js';

/** primeCache: `auto` primes a detected llama-server or vLLM on this machine or a private network; `on` wherever one is detected. */
export type PrimeCacheMode = 'auto' | 'on' | 'off';

export interface PrimeRequest {
  url: string;
  body: Record<string, unknown>;
}

/** Whether a prime goes to this server: only ones that keep a prefix cache and speak raw, never unknown ones. */
export function shouldPrime(mode: PrimeCacheMode, kind: ServerKind, raw: boolean, endpoint: string): boolean {
  if (mode === 'off' || !raw) return false;
  if (kind !== 'llama-server' && kind !== 'vllm') return false;
  return mode === 'on' || isLocalEndpoint(endpoint);
}

/** The request that evaluates `promptIds` and generates as little as the server allows. */
export function buildPrimeRequest(
  kind: ServerKind,
  endpoint: string,
  model: string,
  promptIds: number[],
): PrimeRequest {
  const body: Record<string, unknown> = { model, prompt: promptIds, stream: false };
  if (kind === 'llama-server') {
    body.n_predict = 0;
    body.cache_prompt = true;
  } else {
    body.max_tokens = 1;
  }
  return { url: `${endpoint}/completions`, body };
}

/** What the server said it did with the prompt; counts it did not give are left at what is known. */
export function readPrimeAnswer(answer: unknown, tokens: number): PreparedContext {
  const fields = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const usage = mapUsage({ usage: fields.usage, timings: fields.timings }, { startedAt: 0, outputDeltas: 0 });
  if (usage.promptCountedLocally) return { tokens, reused: 0, evaluated: 0, complete: true };
  const evaluated = Math.min(tokens, usage.promptTokens);
  const reused = Math.min(tokens - evaluated, usage.cachedPromptTokens ?? 0);
  return { tokens, reused, evaluated, complete: true };
}

/**
 * Loopback, link-local and private addresses (RFC 1918, IPv6 unique-local): a server the user
 * runs themselves. A name other than localhost is not resolved: it counts as remote.
 */
export function isLocalEndpoint(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host.startsWith('[')) {
    const v6 = host.slice(1, -1);
    if (v6 === '::1') return true;
    // URL writes an IPv4-mapped address in hex: ::ffff:7f00:1 is 127.0.0.1.
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
    if (mapped) {
      const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
      return isPrivateV4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return /^f[cd][0-9a-f]{0,2}:/.test(v6) || /^fe[89ab][0-9a-f]?:/.test(v6);
  }
  return isPrivateV4(host);
}

function isPrivateV4(host: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return false;
  const [a, b] = [Number(match[1]), Number(match[2])];
  return (
    a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
  );
}
