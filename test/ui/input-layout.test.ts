import { describe, expect, it } from 'vitest';
import { layoutInput, windowStart } from '../../src/ui/input-layout.js';

describe('layoutInput', () => {
  it('breaks lines at newlines and at the width, keeping a column for the cursor', () => {
    expect(layoutInput('abcdef\ngh', 9, 4)).toEqual({ rows: ['abc', 'def', 'gh'], cursorRow: 2, cursorOffset: 2 });
    expect(layoutInput('abcdef', 3, 4)).toEqual({ rows: ['abc', 'def'], cursorRow: 1, cursorOffset: 0 });
  });

  it('never splits a wide character across rows', () => {
    const { rows } = layoutInput('日本語です', 0, 6);
    expect(rows).toEqual(['日本', '語で', 'す']);
  });

  it('places the cursor at a newline at the end of its row', () => {
    expect(layoutInput('ab\ncd', 2, 10)).toEqual({ rows: ['ab', 'cd'], cursorRow: 0, cursorOffset: 2 });
  });

  it('lays a plain ASCII line out as it lays out one with a narrow accented letter in it', () => {
    // Plain lines take a faster path; swapping one 'e' for 'é' (one column too) must not move anything.
    const plain = 'let value = 12;\n  return value + other;\n\nend';
    const accented = plain.replace('value + ', 'valué + ');
    for (const width of [4, 7, 12, 80]) {
      for (let cursor = 0; cursor <= plain.length; cursor++) {
        const a = layoutInput(plain, cursor, width);
        const b = layoutInput(accented, cursor, width);
        expect({ ...b, rows: b.rows.map((row) => row.replace('é', 'e')) }).toEqual(a);
      }
    }
  });

  it('keeps the cursor row inside the window', () => {
    expect(windowStart(3, 2, 5)).toBe(0);
    expect(windowStart(100, 99, 8)).toBe(92);
    expect(windowStart(100, 10, 8)).toBe(3);
    expect(windowStart(100, 0, 8)).toBe(0);
  });
});
