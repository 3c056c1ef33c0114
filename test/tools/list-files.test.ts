import { mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { createListFilesTool, listFilesTool, type ListFilesArgs, type ListFilesData } from '../../tools/list-files.js';
import { findExecutable } from '../../tools/processes/find-executable.js';
import { findRipgrep } from '../../tools/grep/ripgrep.js';
import { readOnlyContext } from './read-only-tool-context.js';

const bundledRg = await findRipgrep();
const systemRg = findExecutable('rg');

/** Every way list_files can find files on this machine: ripgrep (bundled, system) and git. */
const sources = [
  { name: 'ripgrep', locate: async () => bundledRg, available: bundledRg !== undefined },
  {
    name: 'system ripgrep',
    locate: async () => systemRg,
    available: systemRg !== undefined && systemRg !== bundledRg,
  },
  { name: 'git ls-files', locate: async () => undefined, available: true },
];

let repo: TempRepo;
afterEach(() => repo?.remove());

function projectRepo(): TempRepo {
  const r = makeTempRepo({
    '.gitignore': 'dist/\n*.log\nsecret.ts\n',
    '.github/ci.yml': 'on: push\n',
    'README.md': '# x\n',
    'src/a.ts': 'a\n',
    'src/deep/b.ts': 'b\n',
    'src/deep/c.md': 'c\n',
    'dist/out.js': 'x\n',
    'debug.log': 'x\n',
  });
  // Untracked files: one that counts, one that .gitignore hides.
  r.write('new.ts', 'n\n');
  r.write('secret.ts', 's\n');
  return r;
}

describe.each(sources.filter((source) => source.available))('list_files with $name', ({ locate }) => {
  const tool = createListFilesTool({ findRipgrep: locate });
  const list = async (args: ListFilesArgs) => tool.execute(args, await readOnlyContext(repo.root));

  it('lists tracked and untracked files, sorted, without ignored files or .git', async () => {
    repo = projectRepo();
    const result = await list({});
    expect(result.output).toBe(
      ['.github/ci.yml', '.gitignore', 'README.md', 'new.ts', 'src/a.ts', 'src/deep/b.ts', 'src/deep/c.md'].join('\n'),
    );
    expect(result.summary).toBe('7 files');
  });

  it('filters by a glob without letting it override .gitignore', async () => {
    repo = projectRepo();
    // secret.ts matches *.ts but is ignored; ripgrep's own --glob would list it.
    expect((await list({ pattern: '*.ts' })).output).toBe('new.ts\nsrc/a.ts\nsrc/deep/b.ts');
    expect((await list({ pattern: 'src/**/*.ts' })).output).toBe('src/a.ts\nsrc/deep/b.ts');
    expect((await list({ pattern: 'src/*.ts' })).output).toBe('src/a.ts');
    expect((await list({ pattern: '*.{md,yml}' })).output).toBe('.github/ci.yml\nREADME.md\nsrc/deep/c.md');
    expect((await list({ pattern: '*.log' })).output).toBe(
      'No files match *.log in the repository (files ignored by .gitignore are not listed).',
    );
  });

  it('lists a subdirectory, with globs relative to it (or to the root)', async () => {
    repo = projectRepo();
    expect((await list({ path: 'src' })).output).toBe('src/a.ts\nsrc/deep/b.ts\nsrc/deep/c.md');
    expect((await list({ path: 'src/', pattern: 'deep/*.ts' })).output).toBe('src/deep/b.ts');
    expect((await list({ path: 'src', pattern: 'src/deep/*' })).output).toBe('src/deep/b.ts\nsrc/deep/c.md');
    expect((await list({ path: 'src/deep', pattern: '*.py' })).output).toBe(
      'No files match *.py in src/deep (files ignored by .gitignore are not listed).',
    );
  });

  it('caps the listing and says how many more there are and where', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`big/f${String(i).padStart(2, '0')}.txt`] = 'x\n';
    for (let i = 0; i < 3; i++) files[`small/g${i}.txt`] = 'x\n';
    files['top.txt'] = 'x\n';
    repo = makeTempRepo(files);
    const result = await list({ limit: 4 });
    expect(result.output).toBe(
      [
        'big/f00.txt',
        'big/f01.txt',
        'big/f02.txt',
        'big/f03.txt',
        '[4 of 16 files shown. Largest directories: big/ (12), small/ (3). Narrow with path or pattern.]',
      ].join('\n'),
    );
    expect(result.summary).toBe('4 of 16 files');
    expect(result.data).toMatchObject({
      total: 16,
      complete: true,
      files: ['big/f00.txt', 'big/f01.txt', 'big/f02.txt', 'big/f03.txt'],
    });
  });

  it('stops the walk at its scan limit and says the listing is incomplete', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`f${i}.txt`] = 'x\n';
    repo = makeTempRepo(files);
    const capped = createListFilesTool({ findRipgrep: locate, scanLimit: 5 });
    const result = await capped.execute({ limit: 3 }, await readOnlyContext(repo.root));
    const lines = result.output.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('[3 of 5+ files shown. Narrow with path or pattern.]');
    expect(result.summary).toBe('3 of 5+ files');
    expect(result.data).toMatchObject({ total: 5, complete: false });
  });

  it('does not list a tracked file that was deleted', async () => {
    repo = makeTempRepo({ 'keep.txt': 'k\n', 'gone.txt': 'g\n' });
    rmSync(path.join(repo.root, 'gone.txt'));
    expect((await list({})).output).toBe('keep.txt');
  });
});

describe('list_files', () => {
  it('uses git ls-files in a git repository (whether ripgrep is there or not), which reads the index', async () => {
    repo = projectRepo();
    const ctx = await readOnlyContext(repo.root);
    const withoutRg = await createListFilesTool({ findRipgrep: async () => undefined }).execute({}, ctx);
    expect((withoutRg.data as ListFilesData).source).toBe('git');
    expect(((await listFilesTool.execute({}, ctx)).data as ListFilesData).source).toBe('git');
  });

  it.skipIf(!bundledRg)('respects .gitignore and skips node_modules outside a git repository (ripgrep)', async () => {
    repo = makeTempRepo(
      { '.gitignore': 'build/\n', 'a.ts': 'a\n', 'build/x.js': 'x\n', 'node_modules/m/index.js': 'm\n' },
      { git: false },
    );
    const result = await listFilesTool.execute({}, await readOnlyContext(repo.root));
    expect(result.output).toBe('.gitignore\na.ts');
    expect((result.data as ListFilesData).source).toBe('ripgrep');
  });

  it('leaves out tracked files deleted since, also from the counts of a capped listing', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) files[`d/f${i}.txt`] = 'x\n';
    repo = makeTempRepo({ ...files, 'top.txt': 'x\n' });
    for (const gone of ['d/f0.txt', 'd/f1.txt', 'top.txt']) rmSync(path.join(repo.root, gone));
    const result = await listFilesTool.execute({ limit: 3 }, await readOnlyContext(repo.root));
    expect(result.output).toBe(
      'd/f2.txt\nd/f3.txt\nd/f4.txt\n[3 of 6 files shown. Largest directories: d/ (6). Narrow with path or pattern.]',
    );
  });

  it('does not list a submodule as a file', async () => {
    repo = makeTempRepo({ 'a.txt': 'a\n' });
    const inner = makeTempRepo({ 'lib.c': 'int x;\n' });
    try {
      repo.git('-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', inner.root, 'vendor/inner');
      repo.commit('submodule');
      const result = await listFilesTool.execute({}, await readOnlyContext(repo.root));
      expect(result.output).toBe('.gitmodules\na.txt');
    } finally {
      inner.remove();
    }
  });

  it('walks a directory that is not a git repository when ripgrep is missing, skipping node_modules', async () => {
    repo = makeTempRepo(
      { 'a.ts': 'a\n', 'lib/b.ts': 'b\n', 'node_modules/m/index.js': 'm\n', '.env.example': 'X=1\n' },
      { git: false },
    );
    const tool = createListFilesTool({ findRipgrep: async () => undefined });
    const result = await tool.execute({}, await readOnlyContext(repo.root));
    expect(result.output).toBe('.env.example\na.ts\nlib/b.ts');
    expect((result.data as ListFilesData).source).toBe('walk');
    expect((await tool.execute({ pattern: '*.ts', limit: 1 }, await readOnlyContext(repo.root))).output).toBe(
      'a.ts\n[1 of 2 files shown. Largest directories: lib/ (1). Narrow with path or pattern.]',
    );
  });

  it('explains what to do with a file, a missing directory, .git and a bad glob', async () => {
    repo = projectRepo();
    const ctx = await readOnlyContext(repo.root);
    await expect(listFilesTool.execute({ path: 'README.md' }, ctx)).rejects.toThrow(
      'README.md is a file, not a directory. Read it with read_file, or list the directory it is in.',
    );
    await expect(listFilesTool.execute({ path: 'srcs' }, ctx)).rejects.toThrow('No directory srcs. Did you mean src?');
    await expect(listFilesTool.execute({ path: '.git' }, ctx)).rejects.toThrow('.git is inside .git');
    await expect(listFilesTool.execute({ pattern: 'src/[ab' }, ctx)).rejects.toThrow(
      'The glob "src/[ab" is not valid: a "[" is never closed.',
    );
  });

  it('refuses directories outside the repository, directly or through a symbolic link', async () => {
    repo = projectRepo();
    const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gptoss-outside-')));
    try {
      symlinkSync(outside, path.join(repo.root, 'elsewhere'));
      const ctx = await readOnlyContext(repo.root);
      await expect(listFilesTool.execute({ path: '..' }, ctx)).rejects.toThrow('is outside the repository');
      await expect(listFilesTool.execute({ path: 'elsewhere' }, ctx)).rejects.toThrow('leads through a symbolic link');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('stops when the call is aborted', async () => {
    repo = projectRepo();
    const controller = new AbortController();
    controller.abort();
    const ctx = await readOnlyContext(repo.root, controller.signal);
    await expect(listFilesTool.execute({}, ctx)).rejects.toThrow(/abort/i);
    await expect(createListFilesTool({ findRipgrep: async () => undefined }).execute({}, ctx)).rejects.toThrow(
      /abort/i,
    );
  });

  it('describes a call in one line', () => {
    expect(listFilesTool.describe({})).toBe('list .');
    expect(listFilesTool.describe({ path: 'src' })).toBe('list src');
    expect(listFilesTool.describe({ path: 'src/', pattern: '**/*.ts' })).toBe('list src/**/*.ts');
    expect(listFilesTool.describe({ pattern: '*.md' })).toBe('list *.md');
  });
});
