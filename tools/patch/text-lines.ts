// Splits file text into lines that remember their own line ending, so an edit
// keeps CRLF files CRLF, mixed files as they were, and the final-newline state.

export type LineEnding = '' | '\n' | '\r\n';

export interface TextLine {
  text: string;
  /** '' only for a last line without a final newline. */
  eol: LineEnding;
}

export interface SplitText {
  lines: TextLine[];
  /** The ending most lines use; new lines get it. */
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

export function splitText(content: string): SplitText {
  const lines: TextLine[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', start)) {
    const isCrlf = i > start && content[i - 1] === '\r';
    if (isCrlf) crlf++;
    else lf++;
    lines.push({ text: content.slice(start, isCrlf ? i - 1 : i), eol: isCrlf ? '\r\n' : '\n' });
    start = i + 1;
  }
  if (start < content.length) lines.push({ text: content.slice(start), eol: '' });
  // An empty file has no last line to speak for it; new text ends with a newline.
  const finalNewline = content === '' || content.endsWith('\n');
  return { lines, eol: crlf > lf ? '\r\n' : '\n', finalNewline };
}

/** Joins lines; every line but the last gets an ending, the last one as the file had it. */
export function joinText(lines: TextLine[], layout: Pick<SplitText, 'eol' | 'finalNewline'>): string {
  let out = '';
  lines.forEach((line, index) => {
    const last = index === lines.length - 1;
    const eol = last && !layout.finalNewline ? '' : line.eol || layout.eol;
    out += line.text + eol;
  });
  return out;
}
