// Findings that say the same thing about the same place become one.
import { describe, expect, it } from 'vitest';
import { mergeDuplicates } from '../../src/review/dedup.js';
import type { Finding } from '../../src/review/findings.js';

function finding(line: number, title: string, extra: Partial<Finding> = {}): Finding {
  return {
    file: 'a.ts',
    line,
    endLine: line,
    severity: 'medium',
    category: 'bug',
    title,
    explanation: 'short',
    location: 'changed',
    ...extra,
  };
}

describe('mergeDuplicates', () => {
  it('merges the same problem reported twice nearby, keeping the higher severity, the span and the fuller text', () => {
    const merged = mergeDuplicates([
      finding(10, 'Loop reads past the end of items'),
      finding(11, 'Loop reads past end of the items array', {
        severity: 'high',
        explanation: 'a much longer explanation',
        suggestion: 'use <',
      }),
    ]);
    expect(merged).toEqual([
      finding(10, 'Loop reads past end of the items array', {
        endLine: 11,
        severity: 'high',
        explanation: 'a much longer explanation',
        suggestion: 'use <',
      }),
    ]);
  });

  it('merges identical places of the same category even when the titles differ', () => {
    expect(mergeDuplicates([finding(5, 'Null check missing'), finding(5, 'May crash on undefined')])).toHaveLength(1);
  });

  it('keeps different problems: other file, far apart, or unrelated titles on nearby lines', () => {
    const kept = mergeDuplicates([
      finding(10, 'Loop reads past the end'),
      finding(10, 'Loop reads past the end', { file: 'b.ts' }),
      finding(40, 'Loop reads past the end'),
      finding(11, 'Secret logged to the console', { category: 'security' }),
    ]);
    expect(kept).toHaveLength(4);
  });

  it('sorts by severity, then file and line', () => {
    const sorted = mergeDuplicates([
      finding(9, 'nit here', { severity: 'nit' }),
      finding(30, 'later high', { severity: 'high' }),
      finding(3, 'early high', { severity: 'high' }),
    ]);
    expect(sorted.map((f) => f.title)).toEqual(['early high', 'later high', 'nit here']);
  });
});
