// grep and list_files against the programs they wrap, side by side, on a
// generated repository of 50,000 files (test/bench/large-tree.ts).
// usage: npx tsx test/bench/search-speed.ts [--runs N]
//
// Each line is the median wall time of N runs, tool and baseline taking
// turns. The tools run in this process, as they do in the agent; the
// baselines are spawned, with their output collected: `rg -n` for the same
// pattern over the same files, and `git ls-files` for the same listing
// (tracked and untracked, not ignored). For a pattern, git ls-files lists
// everything (git's pathspecs are no file-name globs) and the tool filters.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createGrepTool, type GrepArgs } from '../../tools/grep.js';
import { createListFilesTool, type ListFilesArgs } from '../../tools/list-files.js';
import { findRipgrep } from '../../tools/grep/ripgrep.js';
import type { ToolContext } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { largeTree, LARGE_TREE_FILES } from './large-tree.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const runs = Number(values.runs);

const root = largeTree((line) => console.log(line));
const rg = await findRipgrep();
if (!rg) throw new Error('ripgrep is needed for this benchmark (npm install brings it)');
const ctx: ToolContext = {
  workspace: await Workspace.open(root),
  signal: new AbortController().signal,
  ask: () => Promise.reject(new Error('read-only')),
};
const grep = createGrepTool({ findRipgrep: async () => rg });
const listFiles = createListFilesTool({ findRipgrep: async () => rg });

/** Runs a program and collects its output, as a caller that reads the results would. */
function collect(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks).length));
  });
}

/** Median wall times of the tool and its baseline, run in turns so that both see the same machine. */
async function compare(tool: () => Promise<unknown>, baseline: () => Promise<unknown>): Promise<[number, number]> {
  await tool(); // warm the file cache and the code
  await baseline();
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [slot, run] of (i % 2 === 0
      ? [
          [0, tool],
          [1, baseline],
        ]
      : [
          [1, baseline],
          [0, tool],
        ]) as Array<[0 | 1, () => Promise<unknown>]>) {
      const started = performance.now();
      await run();
      times[slot].push(performance.now() - started);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return [median(times[0]), median(times[1])];
}

function row(label: string, tool: number, baseline: number, limit: number): void {
  const ratio = tool / baseline;
  const verdict = ratio <= limit ? 'ok' : `OVER ${limit}x`;
  console.log(
    `${label.padEnd(44)} ${tool.toFixed(0).padStart(6)} ms ${baseline.toFixed(0).padStart(6)} ms ${ratio.toFixed(2).padStart(6)}x  ${verdict}`,
  );
}

console.log(`\n${LARGE_TREE_FILES} files in ${root}; median of ${runs} runs; rg: ${rg}\n`);
console.log(`${'query'.padEnd(44)} ${'tool'.padStart(9)} ${'baseline'.padStart(9)} ${'ratio'.padStart(7)}`);

// The glob case narrows ripgrep by a file type, as the tool does: `-g` would also search files .gitignore hides.
const grepCases: Array<[string, GrepArgs, string[]]> = [
  ['grep rare literal (190 files)', { pattern: 'NEEDLE_RARE_MARKER' }, ['NEEDLE_RARE_MARKER']],
  ['grep regex, 1255 matches', { pattern: 'function token\\d+_4' }, ['function token\\d+_4']],
  ['grep regex in every file (cap 5000)', { pattern: 'handler\\d+ = helper' }, ['handler\\d+ = helper']],
  [
    'grep -i in one package',
    { pattern: 'needle_rare', path: 'pkg3', case_insensitive: true },
    ['-i', 'needle_rare', 'pkg3'],
  ],
  [
    'grep with glob file1*.ts',
    { pattern: 'return input \\* 5', glob: 'file1*.ts' },
    ['--type-add', 'glob:file1*.ts', '--type', 'glob', 'return input \\* 5'],
  ],
];
for (const [label, args, rgArgs] of grepCases) {
  const [tool, baseline] = await compare(
    () => grep.execute(args, ctx),
    () => collect(rg, ['-n', '--hidden', '-g', '!.git', ...rgArgs]),
  );
  row(label, tool, baseline, 1.3);
}

const listCases: Array<[string, ListFilesArgs, string[]]> = [
  ['list_files (all)', {}, []],
  ['list_files pattern **/file7.ts', { pattern: '**/file7.ts' }, []],
  ['list_files in one package', { path: 'pkg3' }, ['--', 'pkg3']],
];
for (const [label, args, gitArgs] of listCases) {
  const [tool, baseline] = await compare(
    () => listFiles.execute(args, ctx),
    () => collect('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...gitArgs]),
  );
  row(label, tool, baseline, 2);
}
