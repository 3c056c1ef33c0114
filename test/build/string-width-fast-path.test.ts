import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import fastStringWidth, { SINGLE_COLUMN } from '../../src/build/string-width-fast-path.js';

describe('the string-width shortcut of the UI bundle', () => {
  it('agrees with string-width on every character it covers', () => {
    const covered: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCharCode(code);
      if (!SINGLE_COLUMN.test(char)) continue;
      covered.push(code);
      expect(fastStringWidth(char), `U+${code.toString(16)}`).toBe(stringWidth(char));
    }
    expect(covered.length).toBeGreaterThan(1000);
  });

  it('leaves everything else, and other options, to string-width', () => {
    for (const text of ['日本語', '👨‍👩‍👧 family', 'e\u0301', '↔\uFE0F', 'a\u200Db', '\u001b[31mred\u001b[0m', '\u00AD']) {
      expect(fastStringWidth(text)).toBe(stringWidth(text));
    }
    expect(fastStringWidth('…·', { ambiguousIsNarrow: false })).toBe(stringWidth('…·', { ambiguousIsNarrow: false }));
    expect(fastStringWidth('gpt-oss · ctx 12k › ok… ─╭ ⠋')).toBe(28);
  });
});
