// Token counts for a raw generation whose server reported none, counted with
// o200k_harmony, gpt-oss's own encoding, the way the server tokenized the text:
// harmony's special tokens count as the single tokens they are.
import { serverTokenIds } from './harmony-token-ids.js';
import type { ServerUsage } from './usage-mapping.js';

/** @param promptTokens the prompt's exact count, when it was sent as token ids. */
export async function countUsageLocally(prompt: string, output: string, promptTokens?: number): Promise<ServerUsage> {
  const promptCount = promptTokens ?? (await serverTokenIds(prompt)).length;
  return { usage: { prompt_tokens: promptCount, completion_tokens: (await serverTokenIds(output)).length } };
}
