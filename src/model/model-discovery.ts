// Picks a model when the user gave no --model: GET {endpoint}/models lists
// what the server serves (all four servers answer it in OpenAI's shape,
// `{data: [{id}]}`); prefer the first gpt-oss, else the first model.
// vLLM also reports `max_model_len`, the context window it was started with.

export interface DiscoveredModel {
  id: string;
  contextSize?: number;
}

export type Discovery = { ok: true; model: DiscoveredModel } | { ok: false; reason: string };

/** Reads a /models response body. */
export function pickModel(body: unknown): Discovery {
  const data = (body as { data?: unknown } | null)?.data;
  const entries = Array.isArray(data)
    ? data.filter((entry): entry is { id: string } & Record<string, unknown> => typeof entry?.id === 'string')
    : [];
  if (!Array.isArray(data)) return { ok: false, reason: 'the answer has no model list' };
  if (entries.length === 0) return { ok: false, reason: 'the server lists no models (is one loaded?)' };
  const chosen = entries.find((entry) => entry.id.toLowerCase().includes('gpt-oss')) ?? entries[0]!;
  const contextSize = chosen.max_model_len;
  return {
    ok: true,
    model: {
      id: chosen.id,
      ...(typeof contextSize === 'number' && contextSize > 0 ? { contextSize } : {}),
    },
  };
}
