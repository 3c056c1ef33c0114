// A change too big for one request is reviewed file by file within the
// budget; a file too big on its own is skipped and named.
import { afterEach, describe, expect, it } from 'vitest';
import { planBatches } from '../../src/review/batches.js';
import { numberedText, stagedRepo } from './staged-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('planBatches', () => {
  it('puts a small change into one batch', async () => {
    const staged = await stagedRepo(
      {},
      (r) => {
        r.write('a.ts', numberedText(20));
        r.write('b.ts', numberedText(20));
      },
      cleanups,
    );
    const plan = planBatches(staged.files, 16_000);
    expect(plan.batches.map((batch) => batch.map((s) => s.file.path))).toEqual([['a.ts', 'b.ts']]);
    expect(plan.tooLarge).toEqual([]);
  });

  it('splits a large change into batches within the budget, and skips a file too large alone', async () => {
    const staged = await stagedRepo(
      { 'huge.ts': numberedText(3000) },
      (r) => {
        for (const name of ['a', 'b', 'c']) r.write(`${name}.ts`, numberedText(150, name));
        // Every line changes: even its changed parts are over the budget.
        r.write('huge.ts', numberedText(3000, 'changed'));
      },
      cleanups,
    );
    const budget = 600;
    const plan = planBatches(staged.files, budget);
    expect(plan.batches.map((batch) => batch.map((s) => s.file.path))).toEqual([['a.ts'], ['b.ts'], ['c.ts']]);
    for (const batch of plan.batches) expect(batch.reduce((sum, s) => sum + s.tokens, 0)).toBeLessThanOrEqual(budget);
    expect(plan.tooLarge.map(({ file }) => file.path)).toEqual(['huge.ts']);
    expect(plan.tooLarge[0]!.tokens).toBeGreaterThan(budget);
  });

  it('falls back to the changed parts of a big file with a small change', async () => {
    const staged = await stagedRepo(
      { 'big.ts': numberedText(1000) },
      (r) => {
        r.write('big.ts', numberedText(1000).replace('line 500\n', 'line 500 changed\n'));
      },
      cleanups,
    );
    const plan = planBatches(staged.files, 500);
    expect(plan.tooLarge).toEqual([]);
    expect(plan.batches[0]![0]!.text).toContain('[changed parts; read_file for the rest]');
  });
});
