import { describe, expect, it } from 'vitest';
import { CappedPathList, comparePaths } from '../../../tools/files/capped-path-list.js';

describe('comparePaths', () => {
  it('orders segment by segment, so a directory stays together', () => {
    const paths = ['a.txt', 'a/b', 'B.md', 'a-b/c', 'a/a/z', 'b'];
    expect([...paths].sort(comparePaths)).toEqual(['B.md', 'a/a/z', 'a/b', 'a-b/c', 'a.txt', 'b']);
  });

  it('agrees with comparing the segments one by one', () => {
    const bySegments = (a: string, b: string): number => {
      const left = a.split('/');
      const right = b.split('/');
      for (let i = 0; i < Math.min(left.length, right.length); i++) {
        if (left[i] !== right[i]) return left[i]! < right[i]! ? -1 : 1;
      }
      return left.length - right.length;
    };
    const parts = ['a', 'a-b', 'a.b', 'ab', 'A', '_', 'é', 'a b', 'z'];
    const paths: string[] = [];
    for (const x of parts) for (const y of parts) paths.push(x, `${x}/${y}`, `${x}${y}`, `${x}/${y}/${x}`);
    for (const a of paths)
      for (const b of paths) expect(Math.sign(comparePaths(a, b))).toBe(Math.sign(bySegments(a, b)));
  });
});

describe('CappedPathList', () => {
  it('keeps the first paths in order whatever order they come in, and counts them all', () => {
    const all = Array.from({ length: 1000 }, (_, i) => `d${i % 7}/f${String(i).padStart(4, '0')}`);
    // A fixed shuffle (a multiplicative permutation), so the test is the same every run.
    const shuffled = all.map((_, i) => all[(i * 389) % all.length]!);
    const list = new CappedPathList(25);
    for (const p of shuffled) list.add(p);
    expect(list.total).toBe(1000);
    expect(list.paths()).toEqual([...all].sort(comparePaths).slice(0, 25));
  });

  it('returns everything when under the limit', () => {
    const list = new CappedPathList(10);
    for (const p of ['c', 'a', 'b']) list.add(p);
    expect(list.paths()).toEqual(['a', 'b', 'c']);
    expect(list.total).toBe(3);
  });
});
