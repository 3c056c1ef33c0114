// Text for a server that tokenizes it with special tokens parsed anywhere: Ollama's
// raw generate, and every Chat Completions server whose template is filled with the
// messages' text (llama-server, Ollama, LM Studio). Only our own structure may spell
// a special token: in text (a file, a command's output, AGENTS.md, a tool's
// description) each `<|name|>` gets a zero-width space after its `<`, so the server
// tokenizes it as ordinary text and the model still reads the same characters.
// Servers that take token ids need none of this.
//
// The mapping is one to one, so the model's copy of inert text can be mapped back
// (`restoreInertText`): a `<` already followed by zero-width spaces and `|name|>`
// gets one more, and restoring takes exactly one away. Text without that shape is
// left as it is, byte for byte.
import type { HarmonyPart } from './harmony/render.js';

const ZERO_WIDTH_SPACE = '\u200b';
const SPECIAL_SHAPE = /<(\u200b*\|[a-z0-9_]{1,32}\|>)/g;
const INERT_SHAPE = /<\u200b(\u200b*\|[a-z0-9_]{1,32}\|>)/g;

/** Text in which no `<|name|>` can be read as a special token. */
export function inertText(text: string): string {
  return text.includes('|>') ? text.replace(SPECIAL_SHAPE, `<${ZERO_WIDTH_SPACE}$1`) : text;
}

/** The inverse of `inertText`: the model's copy of inert text, as the file had it. */
export function restoreInertText(text: string): string {
  return text.includes(ZERO_WIDTH_SPACE) ? text.replace(INERT_SHAPE, '<$1') : text;
}

/** A harmony prompt's parts as one text, with only the renderer's special tokens left as such. */
export function inertHarmonyText(parts: readonly HarmonyPart[]): string {
  let out = '';
  let text = '';
  // Adjacent text parts are joined first: a token split over two of them is still one token to the server.
  const flush = () => {
    out += inertText(text);
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

/**
 * Every string in a JSON value, keys included (a schema's property names are rendered too), made
 * inert. JSON.stringify writes `<`, `|`, `>` and the zero-width space as themselves, and the shape
 * holds no quote, so changing the text changes exactly the strings.
 */
export function inertJsonValue<T>(value: T): T {
  const text = JSON.stringify(value);
  if (text === undefined) return value;
  const inert = inertText(text);
  return inert === text ? value : (JSON.parse(inert) as T);
}

/**
 * JSON text (a call's arguments) made inert. A server parses it and writes it out again, so an escaped
 * `\u003c|end|>` would come out as `<|end|>`: the parsed strings are checked, and the text is
 * rewritten only when one of them changes. Text that is not JSON is made inert as text.
 */
export function inertJsonText(text: string): string {
  return mapJsonText(text, inertText);
}

/**
 * The model's call arguments with its copies of inert text mapped back. The zero-width space may come
 * as the character or as a JSON escape; the text is rewritten only where it must be.
 */
export function restoreInertJsonText(text: string): string {
  return mapJsonText(text, restoreInertText);
}

function mapJsonText(text: string, map: (text: string) => string): string {
  // Without escapes the text spells every string as it is: changing it in place is exact (and cheap).
  if (!text.includes('\\')) return map(text);
  let canonical: string;
  try {
    canonical = JSON.stringify(JSON.parse(text));
  } catch {
    return map(text); // not JSON (free text), or nested too deeply to write out again
  }
  const mapped = map(canonical);
  if (mapped === canonical) return text;
  // Where every change is to characters written as themselves, changing the text in place gives the same value
  // and keeps the model's spacing and escapes; a change behind an escape needs the value written out again.
  const quick = map(text);
  try {
    if (JSON.stringify(JSON.parse(quick)) === mapped) return quick;
  } catch {
    // falls through to the value written out again
  }
  return mapped;
}
