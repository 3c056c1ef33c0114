import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';
import { readLineWindow } from '../../../tools/files/read-lines.js';

let repo: TempRepo;
afterEach(() => repo?.remove());

const request = { maxLineChars: 500, countLimitBytes: Number.POSITIVE_INFINITY, signal: new AbortController().signal };

describe('readLineWindow', () => {
  it('keeps the window across chunk boundaries and counts every line', async () => {
    repo = makeTempRepo({ 'a.txt': Array.from({ length: 50_000 }, (_, i) => `line ${i + 1}`).join('\n') });
    const window = await readLineWindow(path.join(repo.root, 'a.txt'), { ...request, start: 9_998, maxLines: 3 });
    expect(window).toEqual({
      lines: ['line 9998', 'line 9999', 'line 10000'],
      cutLines: 0,
      totalLines: 50_000,
      totalExact: true,
    });
  });

  it('stops counting after the byte limit and says the total is a lower bound', async () => {
    repo = makeTempRepo({ 'a.txt': 'x\n'.repeat(200_000) });
    const window = await readLineWindow(path.join(repo.root, 'a.txt'), {
      ...request,
      start: 1,
      maxLines: 2,
      countLimitBytes: 100_000,
    });
    expect(window.lines).toEqual(['x', 'x']);
    expect(window.totalExact).toBe(false);
    // It read whole 64 KB chunks up to the limit: 131,072 bytes, 65,536 lines.
    expect(window.totalLines).toBe(65_536);
  });

  it('counts cut lines', async () => {
    repo = makeTempRepo({ 'a.txt': `${'a'.repeat(20)}\nshort\n` });
    const window = await readLineWindow(path.join(repo.root, 'a.txt'), {
      ...request,
      maxLineChars: 10,
      start: 1,
      maxLines: 5,
    });
    expect(window.lines).toEqual([`${'a'.repeat(10)} …[cut at 10 of 20 chars]`, 'short']);
    expect(window.cutLines).toBe(1);
  });
});
