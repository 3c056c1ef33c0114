// Lays the input text out in terminal rows of a given width, and finds the
// cursor in them, so the input box can show a window of rows around the
// cursor however long a paste is, and wide characters never split a row.
// It runs on every key with the whole text, so each line is laid out on its
// own, and a line of printable ASCII (most pasted code) is cut by length
// instead of being measured grapheme by grapheme.
import stringWidth from 'string-width';

export interface InputRows {
  rows: string[];
  /** The row the cursor is in, and its string offset in that row. */
  cursorRow: number;
  cursorOffset: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** One column and one grapheme per character. */
const PLAIN = /^[\u0020-\u007E]*$/;

export function layoutInput(text: string, cursor: number, width: number): InputRows {
  // Leave one column at the end of each row for the cursor.
  const room = Math.max(2, width) - 1;
  const rows: string[] = [];
  let cursorRow = -1;
  let cursorOffset = 0;
  let start = 0;
  for (const line of text.split('\n')) {
    const first = rows.length;
    const column = cursor - start;
    const at = PLAIN.test(line) ? plainRows(line, room, rows, column) : wrappedRows(line, room, rows, column);
    if (at) [cursorRow, cursorOffset] = [first + at.row, at.offset];
    start += line.length + 1;
  }
  // A cursor inside a grapheme (never placed there by editing) shows at the end.
  if (cursorRow === -1) [cursorRow, cursorOffset] = [rows.length - 1, rows.at(-1)!.length];
  return { rows, cursorRow, cursorOffset };
}

type CursorPlace = { row: number; offset: number } | undefined;

/** Rows of `room` characters; where `column` falls in them (the end of the line counts). */
function plainRows(line: string, room: number, rows: string[], column: number): CursorPlace {
  const count = Math.max(1, Math.ceil(line.length / room));
  for (let row = 0; row < count; row++) rows.push(line.slice(row * room, (row + 1) * room));
  if (column < 0 || column > line.length) return undefined;
  if (column === line.length) return { row: count - 1, offset: column - (count - 1) * room };
  return { row: Math.floor(column / room), offset: column % room };
}

/** Rows of whole graphemes taking at most `room` columns; where `column` falls in them. */
function wrappedRows(line: string, room: number, rows: string[], column: number): CursorPlace {
  const first = rows.length;
  let row = '';
  let used = 0;
  let place: CursorPlace;
  for (const { segment, index } of graphemes.segment(line)) {
    const columns = stringWidth(segment);
    if (used + columns > room) {
      rows.push(row);
      row = '';
      used = 0;
    }
    if (index === column) place = { row: rows.length - first, offset: row.length };
    row += segment;
    used += columns;
  }
  if (column === line.length) place = { row: rows.length - first, offset: row.length };
  rows.push(row);
  return place;
}

/** The first row of a window of `height` rows that keeps the cursor row in view. */
export function windowStart(total: number, cursorRow: number, height: number): number {
  if (total <= height) return 0;
  return Math.min(Math.max(0, cursorRow - height + 1), total - height);
}
