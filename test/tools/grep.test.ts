import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { createGrepTool, grepTool, type GrepArgs, type GrepData } from '../../tools/grep.js';
import { findExecutable } from '../../tools/processes/find-executable.js';
import { findRipgrep } from '../../tools/grep/ripgrep.js';
import { readOnlyContext } from './read-only-tool-context.js';

const bundledRg = await findRipgrep();
const systemRg = findExecutable('rg');

/** Every backend grep can use on this machine; each must give the same answers. */
const backends = [
  { name: 'ripgrep', locate: async () => bundledRg, available: bundledRg !== undefined },
  {
    name: 'system ripgrep',
    locate: async () => systemRg,
    available: systemRg !== undefined && systemRg !== bundledRg,
  },
  { name: 'git grep (no ripgrep)', locate: async () => undefined, available: true },
];

let repo: TempRepo;
afterEach(() => repo?.remove());

const APP = [
  'import { helper } from "./helper";',
  '',
  'export function main() {',
  '  const value = helper();',
  '  return value;',
  '}',
  '',
  'export function other() {',
  '  return helper() + 1;',
  '}',
].join('\n');

function projectRepo(): TempRepo {
  const r = makeTempRepo({
    '.gitignore': 'dist/\n*.log\nignored.ts\n',
    'src/app.ts': `${APP}\n`,
    'src/helper.ts': 'export function helper() {\n  return 41;\n}\n',
    'docs/guide.md': '# Guide\nCall Helper() first.\n',
    '.config/settings.json': '{ "helper": true }\n',
    'dist/app.js': 'helper();\n',
    'debug.log': 'helper failed\n',
  });
  r.write('ignored.ts', 'helper\n');
  r.write('untracked.ts', 'const h = helper;\n');
  // The needle sits in .git too (the commit message), which must never be searched.
  r.commit('helper commit');
  return r;
}

describe.each(backends.filter((backend) => backend.available))('grep with $name', ({ locate }) => {
  const tool = createGrepTool({ findRipgrep: locate });
  const grep = async (args: GrepArgs) => tool.execute(args, await readOnlyContext(repo.root));

  it('finds matches with line numbers, grouped by file, skipping ignored files and .git but not hidden files', async () => {
    repo = projectRepo();
    const result = await grep({ pattern: 'helper\\(' });
    expect(result.output).toBe(
      [
        'src/app.ts',
        '  4:   const value = helper();',
        '  9:   return helper() + 1;',
        'src/helper.ts',
        '  1: export function helper() {',
      ].join('\n'),
    );
    expect(result.summary).toBe('3 matches in 2 files');
    expect((await grep({ pattern: '"helper"' })).output).toBe('.config/settings.json\n  1: { "helper": true }');
    const all = (await grep({ pattern: 'helper' })).output;
    expect(all).not.toMatch(/dist|debug\.log|ignored\.ts|\.git\//);
    expect(all).toContain('untracked.ts\n  1: const h = helper;');
  });

  it('shows context lines before and after, with -- between separate stretches', async () => {
    repo = projectRepo();
    const result = await grep({ pattern: 'return', path: 'src/app.ts', context: 1 });
    expect(result.output).toBe(
      [
        'src/app.ts',
        '  4-   const value = helper();',
        '  5:   return value;',
        '  6- }',
        '  --',
        '  8- export function other() {',
        '  9:   return helper() + 1;',
        '  10- }',
      ].join('\n'),
    );
    const data = result.data as GrepData;
    expect(data.matches).toEqual([
      { file: 'src/app.ts', line: 5, text: '  return value;', before: ['  const value = helper();'], after: ['}'] },
      {
        file: 'src/app.ts',
        line: 9,
        text: '  return helper() + 1;',
        before: ['export function other() {'],
        after: ['}'],
      },
    ]);
  });

  it('never repeats a line that is context of two matches, and keeps match lines out of context', async () => {
    repo = projectRepo();
    const result = await grep({ pattern: 'value', path: 'src', context: 2 });
    expect(result.output).toBe(
      [
        'src/app.ts',
        '  2- ',
        '  3- export function main() {',
        '  4:   const value = helper();',
        '  5:   return value;',
        '  6- }',
        '  7- ',
      ].join('\n'),
    );
    expect((result.data as GrepData).matches.map((m) => [m.before, m.after])).toEqual([
      [['', 'export function main() {'], []],
      [[], ['}', '']],
    ]);
  });

  it('filters files by glob (relative to path or to the root), never reviving ignored files', async () => {
    repo = projectRepo();
    expect((await grep({ pattern: 'helper', glob: '*.md', case_insensitive: true })).output).toBe(
      'docs/guide.md\n  2: Call Helper() first.',
    );
    expect((await grep({ pattern: 'helper', glob: '*.ts' })).output).not.toContain('ignored.ts');
    expect((await grep({ pattern: 'helper', path: 'src', glob: 'help*.ts' })).output).toBe(
      'src/helper.ts\n  1: export function helper() {',
    );
    expect((await grep({ pattern: 'helper', glob: 'src/h*.ts' })).output).toBe(
      'src/helper.ts\n  1: export function helper() {',
    );
    expect((await grep({ pattern: 'log', glob: '*.log' })).output).toBe(
      'No matches for /log/ in the repository (files matching *.log)' +
        dialectNote(locate) +
        '. Try a broader pattern, case_insensitive, or another path.',
    );
  });

  it('matches case-insensitively only when asked', async () => {
    repo = projectRepo();
    expect((await grep({ pattern: 'HELPER\\(\\)', path: 'docs' })).summary).toBe('no matches');
    expect((await grep({ pattern: 'HELPER\\(\\)', path: 'docs', case_insensitive: true })).output).toBe(
      'docs/guide.md\n  2: Call Helper() first.',
    );
  });

  it('says plainly when nothing matches', async () => {
    repo = projectRepo();
    const result = await grep({ pattern: 'nowhere', path: 'src' });
    expect(result.output).toBe(
      `No matches for /nowhere/ in src${dialectNote(locate)}. Try a broader pattern, case_insensitive, or another path.`,
    );
    expect(result.isError).toBeUndefined();
    expect(result.summary).toBe('no matches');
  });

  it('returns the regex error and how to escape special characters', async () => {
    repo = projectRepo();
    const failure = grep({ pattern: 'helper(' });
    await expect(failure).rejects.toThrow(/^Invalid pattern \/helper\(\/.*: .*(unclosed group|Unmatched \()/s);
    await expect(failure).rejects.toThrow('escape it with a backslash, e.g. \\( or \\.');
  });

  it('caps the matches and says how many more there are and how to narrow', async () => {
    repo = makeTempRepo({
      'many.txt': Array.from({ length: 150 }, (_, i) => `hit ${i + 1}`).join('\n'),
      'few.txt': 'hit a\nhit b\n',
    });
    const result = await grep({ pattern: 'hit' });
    const lines = result.output.split('\n');
    expect(lines[0]).toBe('few.txt');
    expect(lines[3]).toBe('many.txt');
    expect(lines.at(-2)).toBe('  98: hit 98');
    expect(lines.at(-1)).toBe(
      '[100 of 152 matches shown, in 2 of 2 files. Narrow with path or glob, or a more specific pattern.]',
    );
    expect(result.summary).toBe('100 of 152 matches');
    expect((await grep({ pattern: 'hit', limit: 2 })).output).toBe(
      'few.txt\n  1: hit a\n  2: hit b\n[2 of 152 matches shown, in 1 of 2 files. Narrow with path or glob, or a more specific pattern.]',
    );
  });

  it('stops searching at its store limit and says the totals are lower bounds', async () => {
    repo = makeTempRepo({ 'a.txt': Array.from({ length: 30 }, (_, i) => `hit ${i + 1}`).join('\n') });
    const capped = createGrepTool({ findRipgrep: locate, storeLimit: 10 });
    const result = await capped.execute({ pattern: 'hit', limit: 3 }, await readOnlyContext(repo.root));
    expect(result.output).toBe(
      [
        'a.txt',
        '  1: hit 1',
        '  2: hit 2',
        '  3: hit 3',
        '[3 of 10+ matches shown, in 1 of 1+ files. Narrow with path or glob, or a more specific pattern.]',
      ].join('\n'),
    );
    expect(result.summary).toBe('3 of 10+ matches');
    expect(result.data).toMatchObject({ totalMatches: 10, complete: false });
  });

  it('cuts a long line around the match', async () => {
    repo = makeTempRepo({ 'min.js': `${'a'.repeat(1000)}NEEDLE${'b'.repeat(1000)}\n` });
    const output = (await grep({ pattern: 'NEEDLE' })).output;
    expect(output).toBe(`min.js\n  1: …${'a'.repeat(147)}NEEDLE${'b'.repeat(147)}…`);
  });

  it('searches a single file given as path', async () => {
    repo = projectRepo();
    expect((await grep({ pattern: 'function', path: 'src/helper.ts' })).output).toBe(
      'src/helper.ts\n  1: export function helper() {',
    );
  });
});

function dialectNote(locate: () => Promise<string | undefined>): string {
  // The git grep fallback says which regex dialect it used.
  return locate === backends[2]!.locate
    ? ' (ripgrep is not installed, so git grep ran it: POSIX extended regex, [0-9] for \\d)'
    : '';
}

describe('grep', () => {
  it('says how to get ripgrep when there is neither ripgrep nor a git repository', async () => {
    repo = makeTempRepo({ 'a.txt': 'x\n' }, { git: false });
    const tool = createGrepTool({ findRipgrep: async () => undefined });
    await expect(tool.execute({ pattern: 'x' }, await readOnlyContext(repo.root))).rejects.toThrow(
      /ripgrep \(rg\) is not installed and this is not a git repository\. Install ripgrep/,
    );
  });

  it.skipIf(!bundledRg)('searches a directory that is not a git repository with ripgrep', async () => {
    repo = makeTempRepo({ 'a.txt': 'needle\n', 'node_modules/m.js': 'needle\n' }, { git: false });
    const result = await grepTool.execute({ pattern: 'needle' }, await readOnlyContext(repo.root));
    expect(result.output).toBe('a.txt\n  1: needle');
    expect((result.data as GrepData).source).toBe('ripgrep');
  });

  it('refuses paths outside the repository and inside .git', async () => {
    repo = makeTempRepo({ 'a.txt': 'x\n' });
    const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gptoss-outside-')));
    try {
      writeFileSync(path.join(outside, 'b.txt'), 'x\n');
      symlinkSync(outside, path.join(repo.root, 'out'));
      const ctx = await readOnlyContext(repo.root);
      await expect(grepTool.execute({ pattern: 'x', path: '../' }, ctx)).rejects.toThrow('is outside the repository');
      await expect(grepTool.execute({ pattern: 'x', path: 'out' }, ctx)).rejects.toThrow(
        'leads through a symbolic link',
      );
      await expect(grepTool.execute({ pattern: 'x', path: '.git' }, ctx)).rejects.toThrow('inside .git');
      await expect(grepTool.execute({ pattern: 'x', path: 'nope' }, ctx)).rejects.toThrow('No file or directory nope.');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('does not follow a symbolic link inside the tree to files outside it', async () => {
    repo = makeTempRepo({ 'a.txt': 'x\n' });
    const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gptoss-outside-')));
    try {
      writeFileSync(path.join(outside, 'secret.txt'), 'needle\n');
      symlinkSync(outside, path.join(repo.root, 'linked-dir'));
      symlinkSync(path.join(outside, 'secret.txt'), path.join(repo.root, 'linked.txt'));
      for (const tool of [grepTool, createGrepTool({ findRipgrep: async () => undefined })]) {
        const result = await tool.execute({ pattern: 'needle' }, await readOnlyContext(repo.root));
        expect(result.summary).toBe('no matches');
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('kills the search when the call is aborted', async () => {
    repo = makeTempRepo({ 'a.txt': 'x\n' });
    const controller = new AbortController();
    controller.abort();
    const ctx = await readOnlyContext(repo.root, controller.signal);
    await expect(grepTool.execute({ pattern: 'x' }, ctx)).rejects.toThrow(/abort/i);
    await expect(createGrepTool({ findRipgrep: async () => undefined }).execute({ pattern: 'x' }, ctx)).rejects.toThrow(
      /abort/i,
    );
  });

  it('describes a call in one line', () => {
    expect(grepTool.describe({ pattern: 'foo' })).toBe('grep /foo/');
    expect(grepTool.describe({ pattern: 'foo', path: 'src', case_insensitive: true })).toBe('grep /foo/i in src');
    expect(grepTool.describe({ pattern: 'foo', path: 'src', glob: '*.ts' })).toBe('grep /foo/ in src (*.ts)');
  });
});
