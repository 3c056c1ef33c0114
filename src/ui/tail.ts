// The end of a long text that fits in a few terminal rows: the live area
// shows the latest part of what streams, and must never grow taller than the
// terminal (Ink would then redraw the whole screen on every frame).
import stringWidth from 'string-width';

export interface Tail {
  text: string;
  /** Whether anything before it was left out. */
  cut: boolean;
}

export function tailRows(text: string, columns: number, maxRows: number): Tail {
  const width = Math.max(1, columns);
  // A row never holds more than `width` characters (zero-width marks aside), so the end suffices.
  const limit = maxRows * width * 4;
  const source = text.length > limit ? text.slice(-limit) : text;
  const lines = source.split('\n');
  const kept: string[] = [];
  let rows = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const needed = Math.max(1, Math.ceil(stringWidth(line) / width));
    if (rows + needed <= maxRows) {
      kept.unshift(line);
      rows += needed;
      continue;
    }
    const room = maxRows - rows;
    if (room > 0) kept.unshift(endOfLine(line, room * width));
    return { text: kept.join('\n'), cut: true };
  }
  return { text: kept.join('\n'), cut: source !== text };
}

/** The last characters of a line that take at most `columns` columns. */
function endOfLine(line: string, columns: number): string {
  const chars = Array.from(line);
  let used = 0;
  let start = chars.length;
  while (start > 0) {
    const next = stringWidth(chars[start - 1]!);
    if (used + next > columns) break;
    used += next;
    start--;
  }
  return chars.slice(start).join('');
}
