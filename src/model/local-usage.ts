// Token counts for a raw generation whose server reported none, counted with
// o200k_harmony, gpt-oss's own encoding: harmony's special tokens in the text
// count as the single tokens they are. The tables load on first use only.
import type { ServerUsage } from './usage-mapping.js';

export async function countUsageLocally(prompt: string, output: string): Promise<ServerUsage> {
  const { countTokens } = await import('gpt-tokenizer/encoding/o200k_harmony');
  const count = (text: string) => countTokens(text, { allowedSpecial: 'all' });
  return { usage: { prompt_tokens: count(prompt), completion_tokens: count(output) } };
}
