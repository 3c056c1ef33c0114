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

  it('keeps the cursor row inside the window', () => {
    expect(windowStart(3, 2, 5)).toBe(0);
    expect(windowStart(100, 99, 8)).toBe(92);
    expect(windowStart(100, 10, 8)).toBe(3);
    expect(windowStart(100, 0, 8)).toBe(0);
  });
});
