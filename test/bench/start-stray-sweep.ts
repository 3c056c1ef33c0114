// What a start pays for our stray temporary files in a repository of 50,000
// files (test/bench/large-tree.ts): openWorkspace with a fresh state directory
// (a first start in the repository), openWorkspace again with the same one (a
// later start), and the tree walk alone. Interleaved, medians and p90.
// usage: npx tsx test/bench/start-stray-sweep.ts [runs, default 20]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWorkspace } from '../../src/modes/open-workspace.js';
import { removeStrayTemps } from '../../tools/changes/stray-temps.js';
import { largeTree, LARGE_TREE_FILES } from './large-tree.js';

const runs = Number(process.argv[2] ?? 20);
const root = largeTree((line) => console.log(line));

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const line = (label: string, values: number[]) =>
  console.log(
    `${label.padEnd(36)} median ${quantile(values, 0.5).toFixed(1)} ms · p90 ${quantile(values, 0.9).toFixed(1)} ms`,
  );

const first: number[] = [];
const later: number[] = [];
const walk: number[] = [];
// One warm-up round: the first walk reads the directories into the page cache.
for (let i = -1; i < runs; i++) {
  const state = mkdtempSync(path.join(os.tmpdir(), 'gptoss-sweep-bench-'));
  const env = { XDG_STATE_HOME: state };
  try {
    const a = await timed(() => openWorkspace(root, env));
    const b = await timed(() => openWorkspace(root, env));
    const c = await timed(() => removeStrayTemps(root));
    if (i < 0) continue;
    first.push(a);
    later.push(b);
    walk.push(c);
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}
console.log(`${LARGE_TREE_FILES} files, ${runs} runs`);
line('openWorkspace, first start', first);
line('openWorkspace, later start', later);
line('the tree walk alone (removeStrayTemps)', walk);
