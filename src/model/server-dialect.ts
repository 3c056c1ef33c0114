// Which server sits behind --endpoint, asked once per session with cheap GETs
// that generate nothing, so gpt-oss can be spoken to in harmony where the
// server takes a raw prompt. What each server answers (from their sources):
// - llama.cpp's llama-server: GET /props → `{default_generation_settings, …}`;
// - Ollama: GET /api/version → `{version}` (served outside /v1);
// - vLLM: GET /v1/models lists models `owned_by: "vllm"`.
// LM Studio and anything else answers none of these and is spoken to over Chat Completions.
import type { ReasoningField } from './chat-request.js';

export type ServerKind = 'vllm' | 'llama-server' | 'ollama' | 'unknown';

/** --harmony: `raw` renders harmony ourselves, `chat` leaves it to the server, `auto` picks by server. */
export type HarmonyMode = 'auto' | 'raw' | 'chat';

export const HARMONY_MODES: readonly HarmonyMode[] = ['auto', 'raw', 'chat'];

const PROBE_TIMEOUT_MS = 5000;

export interface ProbeOptions {
  /** The normalised OpenAI base URL, e.g. http://127.0.0.1:8080/v1. */
  endpoint: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** The body of GET /models when the caller already has it (model discovery asked). */
  models?: unknown;
}

export interface Detection {
  kind: ServerKind;
  /** llama-server's context per slot (`default_generation_settings.n_ctx`), when it said. */
  contextSize?: number;
}

/**
 * Asks the identification endpoints at once; a probe that fails says nothing. Undefined when
 * no probe got an HTTP answer at all (the server is down): ask again on the next generation.
 */
export async function detectServer({
  endpoint,
  headers,
  signal,
  ...known
}: ProbeOptions): Promise<Detection | undefined> {
  const stop = AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]);
  let answered = 'models' in known;
  const get = async (url: string): Promise<unknown> => {
    try {
      const response = await fetch(url, { headers, signal: stop });
      answered = true;
      const text = await response.text();
      return response.ok ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  };
  const origin = serverOrigin(endpoint);
  const [props, version, models] = await Promise.all([
    get(`${origin}/props`),
    get(`${origin}/api/version`),
    'models' in known ? known.models : get(`${endpoint}/models`),
  ]);
  if (!answered) return undefined;
  if (isRecord(props) && isRecord(props.default_generation_settings)) {
    const context = props.default_generation_settings.n_ctx;
    return {
      kind: 'llama-server',
      ...(typeof context === 'number' && Number.isInteger(context) && context > 0 ? { contextSize: context } : {}),
    };
  }
  if (isRecord(version) && typeof version.version === 'string') return { kind: 'ollama' };
  const data = isRecord(models) && Array.isArray(models.data) ? models.data : [];
  if (data.some((entry) => isRecord(entry) && entry.owned_by === 'vllm')) return { kind: 'vllm' };
  return { kind: 'unknown' };
}

/** The server's root: the endpoint without its `/v1`, where Ollama's and llama-server's own APIs live. */
export function serverOrigin(endpoint: string): string {
  return endpoint.replace(/\/v1$/, '');
}

/** Whether a generation goes out as a raw harmony prompt. */
export function speaksRaw(mode: HarmonyMode, kind: ServerKind): boolean {
  if (mode === 'chat') return false;
  if (mode === 'raw') return true;
  return kind !== 'unknown';
}

/**
 * The assistant-message field each server reads reasoning from: vLLM's harmony input parser
 * and Ollama's /v1 read `reasoning`, llama-server reads `reasoning_content`. Unknown: none.
 */
export function reasoningFieldOf(kind: ServerKind): ReasoningField | undefined {
  if (kind === 'vllm' || kind === 'ollama') return 'reasoning';
  if (kind === 'llama-server') return 'reasoning_content';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
