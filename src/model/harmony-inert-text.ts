// A harmony prompt as text for a server that takes text only (Ollama's raw
// generate) and parses special tokens anywhere in it. Only the renderer's
// structure may spell a special token: in the messages' text (a file, a
// command's output, AGENTS.md) each `<|name|>` gets a zero-width space after
// its `<`, so the server tokenizes it as ordinary text and the model still reads
// the same characters on screen. Servers that take token ids need none of this.
import type { HarmonyPart } from './harmony/render.js';

const SPECIAL_SHAPE = /<(\|[a-z0-9_]{1,32}\|>)/g;
const ZERO_WIDTH_SPACE = '\u200b';

export function inertHarmonyText(parts: readonly HarmonyPart[]): string {
  let out = '';
  let text = '';
  // Adjacent text parts are joined first: a token split over two of them is still one token to the server.
  const flush = () => {
    out += text.replace(SPECIAL_SHAPE, `<${ZERO_WIDTH_SPACE}$1`);
    text = '';
  };
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else {
      flush();
      out += part.special;
    }
  }
  flush();
  return out;
}
