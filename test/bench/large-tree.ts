// A generated git repository of 50,000 source files (about 130 MB of
// code-like text in 500 directories), for timing searches and listings at
// scale. Built once into the temp directory, committed, and reused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const VERSION = 2;
export const LARGE_TREE_FILES = 50_000;
const DIRECTORIES = 500;

/** A deterministic pseudo-random generator (mulberry32), so every run builds the same tree. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const WORDS = ['value', 'count', 'item', 'result', 'config', 'handler', 'buffer', 'index', 'request', 'token'];

function sourceFile(next: () => number, id: number): string {
  const lines = [`// module ${id}`, `import { helper } from '../shared/helper';`, ''];
  const functions = 2 + Math.floor(next() * 4);
  for (let f = 0; f < functions; f++) {
    const word = WORDS[Math.floor(next() * WORDS.length)]!;
    lines.push(`export function ${word}${id}_${f}(input: number): number {`);
    const body = 3 + Math.floor(next() * 8);
    for (let l = 0; l < body; l++) {
      const other = WORDS[Math.floor(next() * WORDS.length)]!;
      lines.push(`  const ${other}${l} = helper(input + ${Math.floor(next() * 1000)}); // ${other} step`);
    }
    // A rare marker: about one file in a thousand has one.
    if (next() < 0.001) lines.push('  // NEEDLE_RARE_MARKER');
    lines.push(`  return input * ${f + 1};`, '}', '');
  }
  return lines.join('\n');
}

/** The tree's root, built on first use. */
export function largeTree(log: (line: string) => void = () => {}): string {
  const root = path.join(os.tmpdir(), `gptoss-large-tree-${VERSION}`);
  if (existsSync(path.join(root, '.git', 'complete'))) return root;
  log(`Generating ${LARGE_TREE_FILES} files in ${root} (once)…`);
  const building = `${root}.building`;
  rmSync(building, { recursive: true, force: true });
  const next = random(42);
  const perDirectory = LARGE_TREE_FILES / DIRECTORIES;
  for (let d = 0; d < DIRECTORIES; d++) {
    const dir = path.join(building, `pkg${Math.floor(d / 50)}`, `mod${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < perDirectory; f++) {
      const id = d * perDirectory + f;
      writeFileSync(path.join(dir, `file${f}.ts`), sourceFile(next, id));
    }
  }
  // Ignored output, as real repositories have: never listed or searched.
  mkdirSync(path.join(building, 'dist'), { recursive: true });
  for (let f = 0; f < 1000; f++) writeFileSync(path.join(building, 'dist', `out${f}.js`), 'NEEDLE_RARE_MARKER\n');
  writeFileSync(path.join(building, '.gitignore'), 'dist/\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: building, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'tree');
  writeFileSync(path.join(building, '.git', 'complete'), '');
  rmSync(root, { recursive: true, force: true });
  renameSync(building, root);
  return root;
}
