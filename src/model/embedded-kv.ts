// Putting a prompt into the session's one context sequence, reusing the KV
// cache: the sequence keeps the longest prefix it shares with the prompt (a
// checkpoint stands in where the sliding-window layers no longer hold it) and
// evaluates only the rest, in chunks so that an abort is seen between them.
// A generation and a background evaluation of the next prompt's start
// (embedded-prefill.ts) go through the same loop, so one continues exactly
// where the other stopped.
import type * as NodeLlamaCpp from 'node-llama-cpp';

/** Tokens evaluated between abort checks: the longest a new generation or a close waits. */
const CHUNK_TOKENS = 512;

export interface LoadedPrompt {
  /** Prompt tokens the cache already held. */
  reused: number;
}

export interface EvaluateOptions {
  signal: AbortSignal;
  /** After each chunk: tokens evaluated so far of the `total` this call has to evaluate. */
  onChunk?: (done: number, total: number) => void;
}

export interface Evaluated extends LoadedPrompt {
  /** Tokens evaluated by this call. */
  evaluated: number;
  /** False when aborted before the end (what was evaluated stays in the sequence). */
  complete: boolean;
}

/** Makes the sequence hold exactly `tokens`: keeps the prefix it shares with them, evaluates the rest chunk by chunk. */
export async function evaluateTokens(
  sequence: NodeLlamaCpp.LlamaContextSequence,
  tokens: readonly NodeLlamaCpp.Token[],
  options: EvaluateOptions,
): Promise<Evaluated> {
  await sequence.adaptStateToTokens(tokens as NodeLlamaCpp.Token[], false);
  const reused = sequence.nextTokenIndex;
  const total = tokens.length - reused;
  const result = (complete: boolean): Evaluated => ({ reused, evaluated: sequence.nextTokenIndex - reused, complete });
  if (total > 0) options.onChunk?.(0, total);
  while (sequence.nextTokenIndex < tokens.length) {
    if (options.signal.aborted) return result(false);
    const from = sequence.nextTokenIndex;
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(from, from + CHUNK_TOKENS));
    options.onChunk?.(sequence.nextTokenIndex - reused, total);
  }
  return result(!options.signal.aborted);
}

/**
 * Evaluates all of `tokens` but the last, whose logits the sampling needs. With `checkpoint`,
 * the state there is kept: gpt-oss's sliding-window layers hold only the last 128 positions,
 * and the next turn, which drops this turn's reasoning and so rewinds to exactly here, restores
 * it instead of re-reading the whole session. Resolves undefined when aborted.
 */
export async function loadPrompt(
  sequence: NodeLlamaCpp.LlamaContextSequence,
  tokens: readonly NodeLlamaCpp.Token[],
  options: { checkpoint: boolean; signal: AbortSignal },
): Promise<LoadedPrompt | undefined> {
  const loaded = await evaluateTokens(sequence, tokens.slice(0, -1), { signal: options.signal });
  if (!loaded.complete) return undefined;
  if (options.checkpoint) await sequence.takeCheckpoint();
  return { reused: loaded.reused };
}
