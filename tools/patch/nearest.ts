// Finds the part of a file most like the lines a hunk expected, so a failed
// hunk can show the model what the file really says there.
import { asciiTypography } from './line-match.js';

/** Below this average similarity a window is not worth showing as "nearest". */
const MIN_SIMILARITY = 0.3;

export interface NearestWindow {
  /** 0-based index of the window's first line. */
  start: number;
  /** Number of lines in the window. */
  length: number;
  /** Average line similarity, 0 to 1. */
  similarity: number;
}

export function nearestWindow(fileLines: readonly string[], expected: readonly string[]): NearestWindow | undefined {
  if (fileLines.length === 0 || expected.length === 0) return undefined;
  const length = Math.min(expected.length, fileLines.length);
  const fileGrams = fileLines.map(bigrams);
  const expectedGrams = expected.map(bigrams);
  let best: NearestWindow | undefined;
  for (let start = 0; start + length <= fileLines.length; start++) {
    let total = 0;
    for (let offset = 0; offset < length; offset++)
      total += similarity(fileGrams[start + offset]!, expectedGrams[offset]!);
    const average = total / expected.length;
    if (!best || average > best.similarity) best = { start, length, similarity: average };
  }
  return best && best.similarity >= MIN_SIMILARITY ? best : undefined;
}

/** Character pairs of a line, ignoring indentation and typographic variants. */
function bigrams(line: string): Set<string> {
  const text = asciiTypography(line).trim();
  const grams = new Set<string>();
  for (let i = 0; i + 1 < text.length; i++) grams.add(text.slice(i, i + 2));
  // A one-character line ("}") still needs something to compare.
  if (text.length === 1) grams.add(text);
  return grams;
}

/** Dice coefficient; two empty lines are the same line. */
function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return a.size === b.size ? 1 : 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return (2 * shared) / (a.size + b.size);
}
