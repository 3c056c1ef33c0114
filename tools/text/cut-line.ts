// Cuts an over-long line (minified code, a data blob) to a size the model
// can read, saying that it did, and keeping the part that matters: the
// start of a line being read, or the neighbourhood of a search match.

/** The first `max` characters and a marker with the line's full length. */
export function cutLine(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)} …[cut at ${max} of ${text.length} chars]`;
}

/** About `max` characters centred on text[start, end), with "…" where something was left out. */
export function cutAround(text: string, start: number, end: number, max: number): string {
  if (text.length <= max) return text;
  const matchLength = Math.min(Math.max(end - start, 0), max);
  const margin = Math.floor((max - matchLength) / 2);
  let from = Math.max(0, Math.min(start - margin, text.length - max));
  let to = Math.min(text.length, from + max);
  // Never split a surrogate pair.
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from++;
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to--;
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
