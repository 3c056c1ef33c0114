import { describe, expect, it } from 'vitest';
import { tailRows } from '../../src/ui/tail.js';

describe('tailRows', () => {
  it('keeps the last lines that fit', () => {
    expect(tailRows('a\nb\nc\nd', 10, 2)).toEqual({ text: 'c\nd', cut: true });
    expect(tailRows('a\nb', 10, 5)).toEqual({ text: 'a\nb', cut: false });
  });

  it('counts wrapped rows of long lines and keeps the end of one that does not fit', () => {
    const long = 'x'.repeat(25);
    expect(tailRows(`first\n${long}`, 10, 3)).toEqual({ text: long, cut: true });
    expect(tailRows(`${'a'.repeat(30)}END`, 10, 1)).toEqual({ text: `${'a'.repeat(7)}END`, cut: true });
  });

  it('measures wide characters as two columns', () => {
    expect(tailRows('日本語日本語', 4, 1)).toEqual({ text: '本語', cut: true });
  });
});
