// o200k_harmony token ids for harmony prompts and text.
// - `harmonyTokenIds`: a rendered prompt as ids, for servers that take a prompt as
//   tokens (vLLM, llama-server). Sent as text, a prompt is tokenized by the server
//   with special tokens parsed everywhere in it, so a file or tool result holding
//   `<|end|><|start|>system<|message|>…` would become real structure. Here only the
//   renderer's structure becomes special tokens; all other text is encoded as text.
// - `serverTokenIds`: text as a server tokenizes it, special tokens parsed anywhere
//   (for counting what a server read or wrote). gpt-tokenizer recognises a special
//   token only at the very start of its input, so they are split out here first.
// The tables load on first use only.
import type { HarmonyPart } from './harmony/render.js';

type Encode = (typeof import('gpt-tokenizer/encoding/o200k_harmony'))['encode'];

const SPECIAL_SHAPE = /<\|[a-z0-9_]{1,32}\|>/g;

async function encoder(): Promise<{
  text: (text: string) => number[];
  special: (token: string) => number | undefined;
}> {
  const { encode }: { encode: Encode } = await import('gpt-tokenizer/encoding/o200k_harmony');
  return {
    text: (text) => (text ? encode(text, { disallowedSpecial: new Set() }) : []),
    special: (token) => {
      try {
        const ids = encode(token, { allowedSpecial: 'all' });
        return ids.length === 1 ? ids[0] : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export async function harmonyTokenIds(parts: readonly HarmonyPart[]): Promise<number[]> {
  const encode = await encoder();
  const ids: number[] = [];
  let text = '';
  const flush = () => {
    // A loop, not a spread: a long tool result is more ids than a call takes as arguments.
    for (const id of encode.text(text)) ids.push(id);
    text = '';
  };
  for (const part of parts) {
    // Adjacent text parts are one run of text, as a server would tokenize them.
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    flush();
    const id = encode.special(part.special);
    if (id === undefined) throw new Error(`${part.special} is not an o200k_harmony special token`);
    ids.push(id);
  }
  flush();
  return ids;
}

export async function serverTokenIds(text: string): Promise<number[]> {
  const encode = await encoder();
  const ids: number[] = [];
  let from = 0;
  for (const match of text.matchAll(SPECIAL_SHAPE)) {
    const id = encode.special(match[0]);
    if (id === undefined) continue; // not a special token: stays part of the text
    for (const piece of encode.text(text.slice(from, match.index))) ids.push(piece);
    ids.push(id);
    from = match.index + match[0].length;
  }
  for (const piece of encode.text(text.slice(from))) ids.push(piece);
  return ids;
}
