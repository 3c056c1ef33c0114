// What the write journal (tools/changes/write-journal.ts) adds to applying a change:
// the same one-file update applied many times to a real temporary repository,
// without a journal, with one, and as every mode writes (journal, the
// inter-process write lock, the base bytes compared), interleaved; prints the median of each.
// usage: npx tsx test/bench/apply-journal.ts [runs, default 300] [file KB, default 20]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyFileChanges } from '../../tools/changes/file-changes.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { WriteJournal } from '../../tools/changes/write-journal.js';
import { WriteLock } from '../../tools/changes/write-lock.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const runs = Number(process.argv[2] ?? 300);
const kilobytes = Number(process.argv[3] ?? 20);
const repo = makeTempRepo({});
const state = makeTempRepo({}, { git: false });
try {
  const body = `${'x'.repeat(kilobytes * 1024)}\n`;
  writeFileSync(path.join(repo.root, 'file.txt'), body);
  const plain = await Workspace.open(repo.root);
  const journalled = await Workspace.open(repo.root, { journal: new WriteJournal(state.root) });
  const locked = await Workspace.open(repo.root, {
    journal: new WriteJournal(state.root),
    writeLock: new WriteLock(`${state.root}/locks`),
  });
  const times = { plain: [] as number[], journalled: [] as number[], locked: [] as number[] };
  let current = body;
  for (let run = 0; run < runs; run++) {
    for (const [name, workspace] of [
      ['plain', plain],
      ['journalled', journalled],
      ['locked', locked],
    ] as const) {
      const content = `${body}${run}${name}`;
      const started = performance.now();
      await applyFileChanges(workspace, [
        { type: 'update', path: 'file.txt', content, ...(name === 'locked' ? { base: current } : {}) },
      ]);
      times[name].push(performance.now() - started);
      current = content;
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const [without, withJournal, withLock] = [median(times.plain), median(times.journalled), median(times.locked)];
  console.log(
    `${runs} applies of a ${kilobytes} KB file: without a journal median ${without.toFixed(2)} ms · ` +
      `with it ${withJournal.toFixed(2)} ms · the journal adds ${(withJournal - without).toFixed(2)} ms · ` +
      `with the write lock and base check too ${withLock.toFixed(2)} ms (adds ${(withLock - withJournal).toFixed(2)} ms)`,
  );
} finally {
  repo.remove();
  state.remove();
}
