// The diff-based code context (the fallback when the symbol index cannot
// read a file): which definition a hunk changes.
import { afterEach, describe, expect, it } from 'vitest';
import { diffCodeContext } from '../../src/review/diff-code-context.js';
import { stagedRepo } from './staged-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const BEFORE = [
  'export function first(a: number) {',
  '  return a + 1;',
  '}',
  '',
  'export function total(items: number[]) {',
  '  let sum = 0;',
  '  for (const item of items) sum += item;',
  '  console.log(sum);',
  '  return sum;',
  '}',
  '',
].join('\n');

describe('diffCodeContext', () => {
  it('names the function a removal sits in, even when its signature is in the hunk context', async () => {
    const staged = await stagedRepo(
      { 'src/math.ts': BEFORE, 'src/use.ts': "import { total } from './math';\nexport const t = total([1]);\n" },
      (repo) => repo.write('src/math.ts', BEFORE.replace('  let sum = 0;', '  let sum = 1;')),
      cleanups,
    );
    const symbols = await diffCodeContext(staged.repo.root, { kind: 'staged' }).changedSymbols(
      staged.files,
      new AbortController().signal,
    );
    expect(symbols.map((symbol) => symbol.name)).toEqual(['total']);
    expect(symbols[0]!.definition).toMatchObject({ file: 'src/math.ts', line: 5 });
    expect(symbols[0]!.callers.map((caller) => `${caller.file}:${caller.line}`)).toContain('src/use.ts:2');
  });
});
