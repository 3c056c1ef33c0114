// Putting a prompt into the session's one context sequence, reusing the KV
// cache: the sequence keeps the longest prefix it shares with the prompt (a
// checkpoint stands in where the sliding-window layers no longer hold it) and
// evaluates only the rest, in chunks so that an abort is seen between them.
import type * as NodeLlamaCpp from 'node-llama-cpp';

/** Tokens evaluated between abort checks. */
const CHUNK_TOKENS = 512;

export interface LoadedPrompt {
  /** Prompt tokens the cache already held. */
  reused: number;
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
  const prefix = tokens.slice(0, -1);
  await sequence.adaptStateToTokens(prefix, false);
  const reused = sequence.nextTokenIndex;
  while (sequence.nextTokenIndex < prefix.length) {
    if (options.signal.aborted) return undefined;
    const from = sequence.nextTokenIndex;
    await sequence.evaluateWithoutGeneratingNewTokens(prefix.slice(from, from + CHUNK_TOKENS));
  }
  if (options.signal.aborted) return undefined;
  if (options.checkpoint) await sequence.takeCheckpoint();
  return { reused };
}
