// Evaluating the next prompt's start while the user types: the conversation
// as the next request will render it (the ended turn's analysis dropped) up to
// `<|start|>user<|message|>`, put into the session's one sequence by the same
// chunked loop a generation uses. Nothing is copied: a generation that comes
// meanwhile stops this between chunks and its own prompt keeps every token
// evaluated here, as they are a prefix of it.
import type * as NodeLlamaCpp from 'node-llama-cpp';
import type { NextRequest, PreparedContext } from './backend.js';
import { evaluateTokens } from './embedded-kv.js';
import type { PromptTokens } from './embedded-prompt.js';
import { renderHarmonyNextUserParts } from './harmony/render.js';

export interface PrefillContext {
  sequence: NodeLlamaCpp.LlamaContextSequence;
  prompt: PromptTokens;
  contextSize: number;
  /** Whether a checkpoint can save re-reading the instructions later (sliding-window caches). */
  checkpoints: boolean;
}

export async function prefillNext(
  ctx: PrefillContext,
  next: NextRequest,
  signal: AbortSignal,
  onChunk: (done: number, total: number) => void,
): Promise<PreparedContext> {
  const tokens = ctx.prompt.tokens(renderHarmonyNextUserParts(next));
  // A conversation that no longer fits is the next generation's to report (and the loop's to compact).
  if (tokens.length >= ctx.contextSize) return { tokens: tokens.length, reused: 0, evaluated: 0, complete: false };
  const { reused, evaluated, complete } = await evaluateTokens(ctx.sequence, tokens, { signal, onChunk });
  // The instructions alone are where /clear, a compaction and a flow with the same tools come back to.
  if (complete && ctx.checkpoints && next.messages.length === 0) await ctx.sequence.takeCheckpoint();
  return { tokens: tokens.length, reused, evaluated, complete };
}
