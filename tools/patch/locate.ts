// Finds where a hunk's old lines (context and removed) sit in a file. The
// first tolerance level that matches anywhere decides; two or more matches at
// that level make the hunk ambiguous, because guessing could edit the wrong place.
import { asciiTypography, MATCH_LEVELS, type MatchLevel } from './line-match.js';

export type SequenceSearch =
  | { kind: 'found'; start: number; level: MatchLevel }
  | { kind: 'ambiguous'; starts: number[]; level: MatchLevel }
  | { kind: 'missing' };

/** A file's lines, normalised once per level however many hunks are searched. */
export class SearchableLines {
  private readonly byLevel = new Map<MatchLevel, string[]>();

  constructor(readonly texts: readonly string[]) {}

  at(level: MatchLevel): readonly string[] {
    let normalized = this.byLevel.get(level);
    if (!normalized) {
      normalized = this.texts.map(level.normalize);
      this.byLevel.set(level, normalized);
    }
    return normalized;
  }
}

/**
 * Where `pattern` occurs at or after line index `from`. With `atEnd`, a match
 * that ends at the last line wins at any level before the rest of the file is tried.
 */
export function findSequence(
  file: SearchableLines,
  pattern: readonly string[],
  from: number,
  atEnd = false,
): SequenceSearch {
  const last = file.texts.length - pattern.length;
  if (atEnd && last >= from) {
    for (const level of MATCH_LEVELS) {
      if (matchesAt(file.at(level), pattern.map(level.normalize), last)) return { kind: 'found', start: last, level };
    }
  }
  for (const level of MATCH_LEVELS) {
    const lines = file.at(level);
    const wanted = pattern.map(level.normalize);
    const starts: number[] = [];
    for (let start = Math.max(from, 0); start <= last; start++) {
      if (matchesAt(lines, wanted, start)) starts.push(start);
    }
    if (starts.length === 1) return { kind: 'found', start: starts[0]!, level };
    if (starts.length > 1) return { kind: 'ambiguous', starts, level };
  }
  return { kind: 'missing' };
}

/**
 * The first line at or after `from` that an `@@` header names: the whole line
 * at the strictest level that finds one, else a line containing the header text.
 */
export function findHeaderLine(file: SearchableLines, header: string, from: number): number | undefined {
  for (const level of MATCH_LEVELS) {
    const wanted = level.normalize(header);
    const index = file.at(level).indexOf(wanted, from);
    if (index !== -1) return index;
  }
  const needle = asciiTypography(header).trim();
  const loosest = file.at(MATCH_LEVELS[MATCH_LEVELS.length - 1]!);
  for (let index = from; index < loosest.length; index++) {
    if (loosest[index]!.includes(needle)) return index;
  }
  return undefined;
}

function matchesAt(lines: readonly string[], pattern: readonly string[], start: number): boolean {
  for (let offset = 0; offset < pattern.length; offset++) {
    if (lines[start + offset] !== pattern[offset]) return false;
  }
  return true;
}
