// Lays the input text out in terminal rows of a given width, and finds the
// cursor in them, so the input box can show a window of rows around the
// cursor however long a paste is, and wide characters never split a row.
import stringWidth from 'string-width';

export interface InputRows {
  rows: string[];
  /** The row the cursor is in, and its string offset in that row. */
  cursorRow: number;
  cursorOffset: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function layoutInput(text: string, cursor: number, width: number): InputRows {
  const limit = Math.max(2, width);
  const rows: string[] = [];
  let row = '';
  let used = 0;
  let cursorRow = -1;
  let cursorOffset = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    if (segment === '\n') {
      if (index === cursor) [cursorRow, cursorOffset] = [rows.length, row.length];
      rows.push(row);
      row = '';
      used = 0;
      continue;
    }
    const columns = stringWidth(segment);
    // Leave one column at the end of each row for the cursor.
    if (used + columns > limit - 1) {
      rows.push(row);
      row = '';
      used = 0;
    }
    if (index === cursor) [cursorRow, cursorOffset] = [rows.length, row.length];
    row += segment;
    used += columns;
  }
  if (cursorRow === -1) [cursorRow, cursorOffset] = [rows.length, row.length];
  rows.push(row);
  return { rows, cursorRow, cursorOffset };
}

/** The first row of a window of `height` rows that keeps the cursor row in view. */
export function windowStart(total: number, cursorRow: number, height: number): number {
  if (total <= height) return 0;
  return Math.min(Math.max(0, cursorRow - height + 1), total - height);
}
