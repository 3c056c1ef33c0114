// What the user approves must look exactly like what will run or be written.
// Characters that are invisible or reorder the text around them (bidi
// overrides and isolates, zero-width characters, line and paragraph
// separators, C0/C1 controls such as a bare carriage return or ESC) could make
// a file name, a command or a diff read differently from what it is. On
// approval surfaces each one is shown as its code point, e.g. \u202E, and
// marked so the UI can style it apart. Letters of any script stay as they are;
// elsewhere (answers, reasoning) cleanText applies, which keeps RLM marks in
// Arabic or Hebrew prose working as intended.

/** Tab and newline are layout, and so is a CR before a line break (CRLF files, removed first); the rest is revealed. */
const HIDDEN =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/g;
const HIDDEN_WITH_NEWLINES = new RegExp(`${HIDDEN.source}|\\n`, 'g');

export interface RevealedPart {
  text: string;
  /** The code point of a character that would otherwise not be seen as it is. */
  escaped: boolean;
}

export interface RevealOptions {
  /** Newlines are shown as \u000A too (a name or a one-line title must not span lines). */
  newlines?: boolean;
}

/** `\u202E` for U+202E: what a revealed character is shown as. */
export const codePointEscape = (char: string): string =>
  `\\u${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The text cut into plain runs and revealed characters, in order; tabs become spaces, CRLF becomes LF. */
export function revealParts(text: string, options: RevealOptions = {}): RevealedPart[] {
  const pattern = options.newlines ? HIDDEN_WITH_NEWLINES : HIDDEN;
  const normal = text.replace(/\r(?=\n|$)/g, '').replace(/\t/g, '    ');
  const parts: RevealedPart[] = [];
  let last = 0;
  for (const match of normal.matchAll(new RegExp(pattern.source, 'g'))) {
    if (match.index > last) parts.push({ text: normal.slice(last, match.index), escaped: false });
    parts.push({ text: codePointEscape(match[0]), escaped: true });
    last = match.index + match[0].length;
  }
  if (last < normal.length) parts.push({ text: normal.slice(last), escaped: false });
  return parts;
}

/** The same as one string, each revealed character styled by `mark`. */
export function revealText(
  text: string,
  options: RevealOptions = {},
  mark: (escape: string) => string = (e) => e,
): string {
  return revealParts(text, options)
    .map((part) => (part.escaped ? mark(part.text) : part.text))
    .join('');
}

/** Whether the text holds anything revealText would show as an escape. */
export function hasHiddenCharacters(text: string, options: RevealOptions = {}): boolean {
  return new RegExp((options.newlines ? HIDDEN_WITH_NEWLINES : HIDDEN).source).test(text.replace(/\r(?=\n|$)/g, ''));
}
