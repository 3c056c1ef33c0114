import { describe, expect, it } from 'vitest';
import { estimateTokens, truncateForModel } from '../../src/agent/truncate.js';

describe('truncateForModel', () => {
  it('leaves short text alone', () => {
    expect(truncateForModel('short', 100)).toEqual({ text: 'short', truncated: false });
  });

  it('keeps the head and the tail of long output and says what was cut', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const { text: cut, truncated } = truncateForModel(text, 100, 'use start_line to see more');
    expect(truncated).toBe(true);
    expect(cut.startsWith('line 0\nline 1\n')).toBe(true);
    expect(cut.endsWith('line 998\nline 999')).toBe(true);
    expect(cut).toMatch(/\[… \d+ lines \(about \d+ tokens\) cut from the middle; use start_line to see more …\]/);
    expect(estimateTokens(cut)).toBeLessThanOrEqual(130);
  });

  it('cuts a single enormous line by characters', () => {
    const { text, truncated } = truncateForModel('x'.repeat(10_000), 50);
    expect(truncated).toBe(true);
    expect(text).toContain('characters cut');
    expect(text.length).toBeLessThan(400);
  });
});
