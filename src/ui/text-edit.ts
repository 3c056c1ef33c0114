// Editing a multi-line text with a cursor, as pure functions. The cursor is
// an index into the string and always moves by whole graphemes, so emoji,
// combining marks and wide characters are never split.
export interface EditorText {
  text: string;
  cursor: number;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const emptyText: EditorText = { text: '', cursor: 0 };

export function insert({ text, cursor }: EditorText, piece: string): EditorText {
  return { text: text.slice(0, cursor) + piece + text.slice(cursor), cursor: cursor + piece.length };
}

export function backspace(state: EditorText): EditorText {
  if (state.cursor === 0) return state;
  const start = previousBoundary(state.text, state.cursor);
  return { text: state.text.slice(0, start) + state.text.slice(state.cursor), cursor: start };
}

export function deleteForward(state: EditorText): EditorText {
  if (state.cursor >= state.text.length) return state;
  const end = nextBoundary(state.text, state.cursor);
  return { text: state.text.slice(0, state.cursor) + state.text.slice(end), cursor: state.cursor };
}

export function left(state: EditorText): EditorText {
  return { ...state, cursor: previousBoundary(state.text, state.cursor) };
}

export function right(state: EditorText): EditorText {
  return { ...state, cursor: nextBoundary(state.text, state.cursor) };
}

export function lineStart({ text, cursor }: EditorText): EditorText {
  return { text, cursor: text.lastIndexOf('\n', cursor - 1) + 1 };
}

export function lineEnd({ text, cursor }: EditorText): EditorText {
  const end = text.indexOf('\n', cursor);
  return { text, cursor: end === -1 ? text.length : end };
}

/** Ctrl-U: delete from the start of the line to the cursor. */
export function killBefore(state: EditorText): EditorText {
  const start = lineStart(state).cursor;
  const from = start === state.cursor && start > 0 ? start - 1 : start;
  return { text: state.text.slice(0, from) + state.text.slice(state.cursor), cursor: from };
}

/** Ctrl-K: delete from the cursor to the end of the line. */
export function killAfter(state: EditorText): EditorText {
  const end = lineEnd(state).cursor;
  const to = end === state.cursor && end < state.text.length ? end + 1 : end;
  return { text: state.text.slice(0, state.cursor) + state.text.slice(to), cursor: state.cursor };
}

/** Ctrl-W / Alt-Backspace: delete the word before the cursor. */
export function deleteWordBefore(state: EditorText): EditorText {
  const start = wordStart(state.text, state.cursor);
  return { text: state.text.slice(0, start) + state.text.slice(state.cursor), cursor: start };
}

export function wordLeft(state: EditorText): EditorText {
  return { ...state, cursor: wordStart(state.text, state.cursor) };
}

export function wordRight({ text, cursor }: EditorText): EditorText {
  let i = cursor;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  while (i < text.length && !/\s/.test(text[i]!)) i++;
  return { text, cursor: i };
}

/** The cursor one line up, at the same column where it fits; undefined on the first line. */
export function up(state: EditorText): EditorText | undefined {
  const start = lineStart(state).cursor;
  if (start === 0) return undefined;
  const column = state.cursor - start;
  const previousStart = state.text.lastIndexOf('\n', start - 2) + 1;
  return { text: state.text, cursor: snap(state.text, previousStart, Math.min(previousStart + column, start - 1)) };
}

/** The cursor one line down; undefined on the last line. */
export function down(state: EditorText): EditorText | undefined {
  const end = state.text.indexOf('\n', state.cursor);
  if (end === -1) return undefined;
  const column = state.cursor - lineStart(state).cursor;
  const nextEnd = state.text.indexOf('\n', end + 1);
  const target = Math.min(end + 1 + column, nextEnd === -1 ? state.text.length : nextEnd);
  return { text: state.text, cursor: snap(state.text, end + 1, target) };
}

/** The grapheme boundary at or before `index`, in the line starting at `lineStartIndex`. */
function snap(text: string, lineStartIndex: number, index: number): number {
  let last = lineStartIndex;
  for (const { index: offset } of graphemes.segment(text.slice(lineStartIndex, index + 1))) {
    if (lineStartIndex + offset > index) break;
    last = lineStartIndex + offset;
  }
  return last;
}

function wordStart(text: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
  return i;
}

function previousBoundary(text: string, cursor: number): number {
  if (cursor <= 0) return 0;
  // Segment only the current line: pastes can be long.
  const start = text.lastIndexOf('\n', cursor - 1) + 1;
  if (start === cursor) return cursor - 1;
  let last = start;
  for (const { index } of graphemes.segment(text.slice(start, cursor))) last = start + index;
  return last;
}

function nextBoundary(text: string, cursor: number): number {
  if (cursor >= text.length) return text.length;
  if (text[cursor] === '\n') return cursor + 1;
  const end = text.indexOf('\n', cursor);
  const line = text.slice(cursor, end === -1 ? text.length : end);
  const first = graphemes.segment(line)[Symbol.iterator]().next();
  return cursor + (first.done ? 1 : first.value.segment.length);
}
