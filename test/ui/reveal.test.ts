import { describe, expect, it } from 'vitest';
import { hasHiddenCharacters, revealParts, revealText } from '../../src/ui/reveal.js';

describe('revealing what an approval would hide', () => {
  it('keeps layout as layout: line breaks, CRLF endings and tabs (as spaces)', () => {
    expect(revealText('a\r\n\tb\r\n')).toBe('a\n    b\n');
    expect(hasHiddenCharacters('one\r\ntwo\r\n')).toBe(false);
  });

  it('shows a bare carriage return, and newlines too where one line is expected', () => {
    expect(revealText('safe\rrm -rf ~')).toBe('safe\\u000Drm -rf ~');
    expect(revealText('a\nb', { newlines: true })).toBe('a\\u000Ab');
  });

  it('marks each revealed character apart from the text around it', () => {
    expect(revealParts('x\u202Ey')).toEqual([
      { text: 'x', escaped: false },
      { text: '\\u202E', escaped: true },
      { text: 'y', escaped: false },
    ]);
    expect(revealText('x\u2066y', {}, (escape) => `[${escape}]`)).toBe('x[\\u2066]y');
  });

  it('leaves letters of every script alone', () => {
    expect(revealText('مرحبا שלום 你好 é')).toBe('مرحبا שלום 你好 é');
  });
});
