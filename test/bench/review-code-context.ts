// How long the review's code context (changed definitions and their
// callers) takes on the corpus of test/bench/symbol-corpus.ts (about 5,000
// source files), committed into a scratch repository with one line staged
// in a TypeScript, a Python and a Go file: the symbol-index provider with
// the index cold (first review in the repository) and warm, against the
// diff-based provider; and how large each one's section of the prompt is.
// Runs the built package (npm run build first).
// usage: npx tsx test/bench/review-code-context.ts [--runs N]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { symbolCorpus } from './symbol-corpus.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = (file: string) => path.join(repoRoot, 'dist', file);
if (!existsSync(dist('src/cli.js'))) throw new Error('dist/ is missing: run "npm run build" first');

const { loadChanges } = (await import(dist('src/review/changes.js'))) as typeof import('../../src/review/changes.js');
const { renderCodeContext } = (await import(
  dist('src/review/code-context.js')
)) as typeof import('../../src/review/code-context.js');
const { diffCodeContext } = (await import(
  dist('src/review/diff-code-context.js')
)) as typeof import('../../src/review/diff-code-context.js');
const { symbolCodeContext } = (await import(
  dist('src/review/symbol-code-context.js')
)) as typeof import('../../src/review/symbol-code-context.js');
const { Workspace } = (await import(
  dist('tools/workspace/workspace.js')
)) as typeof import('../../tools/workspace/workspace.js');

const corpus = symbolCorpus((line) => console.log(line));
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gptoss-review-bench-'));
const root = path.join(scratch, 'repo');
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
try {
  cpSync(corpus.root, root, { recursive: true });
  rmSync(path.join(root, '.git'), { recursive: true, force: true });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'corpus');
  const tracked = git('ls-files').split('\n').filter(Boolean);

  // One line in the middle of the first file of each language with at least 80 lines, given a comment.
  const edits: Array<[RegExp, string]> = [
    [/^typescript\/.*(?<!\.d)\.ts$/, ' // reviewed'],
    [/^python\/.*\.py$/, '  # reviewed'],
    [/^go\/.*\.go$/, ' // reviewed'],
  ];
  const changed: string[] = [];
  for (const [pattern, comment] of edits) {
    for (const file of tracked.filter((name) => pattern.test(name))) {
      const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
      if (lines.length < 80) continue;
      const at = lines.findIndex((line, index) => index >= lines.length / 2 && /[;)}:]\s*$/.test(line));
      if (at === -1) continue;
      lines[at] += comment;
      writeFileSync(path.join(root, file), lines.join('\n'));
      changed.push(`${file}:${at + 1}`);
      break;
    }
  }
  git('add', '-A');
  const target = { kind: 'staged' } as const;
  const signal = new AbortController().signal;
  const { files } = await loadChanges(root, target, signal);
  const workspace = await Workspace.open(root);
  const fallback = diffCodeContext(root, target);

  const time = async (provider: ReturnType<typeof symbolCodeContext>) => {
    const started = performance.now();
    const symbols = await provider.changedSymbols(files, signal);
    return { ms: performance.now() - started, text: renderCodeContext(symbols, 1_000_000) };
  };
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  const notes: string[] = [];
  const indexed = (cacheDir: string) =>
    symbolCodeContext({ workspace, target, cacheDir, fallback, note: (message) => notes.push(message) });

  const diffRuns: number[] = [];
  let diffText = '';
  for (let i = 0; i < runs; i++) {
    const result = await time(fallback);
    diffRuns.push(result.ms);
    diffText = result.text;
  }
  const cold: number[] = [];
  const warm: number[] = [];
  let indexText = '';
  for (let i = 0; i < runs; i++) {
    const cacheDir = mkdtempSync(path.join(scratch, 'cache-'));
    cold.push((await time(indexed(cacheDir))).ms);
    const result = await time(indexed(cacheDir));
    warm.push(result.ms);
    indexText = result.text;
  }

  console.log(`repository: ${tracked.length} files; staged: ${changed.join(', ')}`);
  if (notes.length > 0) console.log(`notes: ${[...new Set(notes)].join(' | ')}`);
  console.log(`diff-based context:   ${median(diffRuns).toFixed(0)} ms median of ${runs}`);
  console.log(`symbol index, cold:   ${median(cold).toFixed(0)} ms median of ${runs} (builds the index)`);
  console.log(`symbol index, warm:   ${median(warm).toFixed(0)} ms median of ${runs}`);
  console.log(
    `prompt section: diff-based ${encode(diffText).length} o200k tokens, symbol index ${encode(indexText).length}`,
  );
  console.log(`\n--- diff-based\n${diffText}\n\n--- symbol index\n${indexText}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
