// How strictly a patch line must equal a file line. Hunks are tried at each
// level in turn; looser levels forgive the drift models produce when they
// retype code (trailing spaces, re-indentation, typographic punctuation).

export interface MatchLevel {
  name: 'exact' | 'trailing whitespace ignored' | 'whitespace ignored' | 'punctuation normalised';
  normalize(text: string): string;
}

const TYPOGRAPHY: [RegExp, string][] = [
  [/[\u2018\u2019\u201A\u201B\u2032]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u2033]/g, '"'],
  [/[\u2010-\u2015\u2212]/g, '-'],
  [/[\u00A0\u2002-\u200A\u202F\u205F\u3000]/g, ' '],
  [/\u2026/g, '...'],
];

/** Typographic quotes, dashes and spaces as their ASCII counterparts. */
export function asciiTypography(text: string): string {
  return TYPOGRAPHY.reduce((out, [pattern, ascii]) => out.replace(pattern, ascii), text);
}

export const MATCH_LEVELS: readonly MatchLevel[] = [
  { name: 'exact', normalize: (text) => text },
  { name: 'trailing whitespace ignored', normalize: (text) => text.trimEnd() },
  { name: 'whitespace ignored', normalize: (text) => text.trim() },
  { name: 'punctuation normalised', normalize: (text) => asciiTypography(text).trim() },
];
