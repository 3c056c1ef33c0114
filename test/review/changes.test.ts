// What a review loads from real repositories, for each target: the files
// with their status, and the new version as that target has it.
import { afterEach, describe, expect, it } from 'vitest';
import { loadChanges } from '../../src/review/changes.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function repo(files: Record<string, string | Buffer> = {}): TempRepo {
  const made = makeTempRepo(files);
  repos.push(made);
  return made;
}

const signal = new AbortController().signal;

describe('loadChanges', () => {
  it('names renames, deletions, binaries and lockfiles, and skips what cannot be reviewed', async () => {
    const r = repo({ 'a.ts': 'const a = 1;\n', 'old.ts': 'export const x = 1;\n', 'gone.ts': 'bye\n' });
    r.write('a.ts', 'const a = 2;\n');
    r.git('mv', 'old.ts', 'new.ts');
    r.git('rm', '-q', 'gone.ts');
    r.write('logo.png', Buffer.from([0x89, 0x50, 0, 0, 1]));
    r.write('package-lock.json', '{}\n');
    r.git('add', '-A');
    const { files } = await loadChanges(r.root, { kind: 'staged' }, signal);
    const summary = Object.fromEntries(files.map((f) => [f.path, [f.status, f.skip ?? 'reviewed']]));
    expect(summary).toEqual({
      'a.ts': ['modified', 'reviewed'],
      'gone.ts': ['deleted', 'reviewed'],
      'logo.png': ['added', 'binary'],
      'new.ts': ['renamed', 'renamed, content unchanged'],
      'package-lock.json': ['added', 'lockfile (generated)'],
    });
    expect(files.find((f) => f.path === 'a.ts')!.newLines).toEqual(['const a = 2;']);
    expect(files.find((f) => f.path === 'gone.ts')!.newLines).toBeUndefined();
  });

  it('reads the staged version, not the working tree, for a staged review', async () => {
    const r = repo({ 'a.ts': 'one\n' });
    r.write('a.ts', 'one\nstaged\n');
    r.git('add', 'a.ts');
    r.write('a.ts', 'one\nstaged\nnot staged\n');
    const staged = await loadChanges(r.root, { kind: 'staged' }, signal);
    expect(staged.files[0]!.newLines).toEqual(['one', 'staged']);
    const unstaged = await loadChanges(r.root, { kind: 'unstaged' }, signal);
    expect(unstaged.files[0]!.newLines).toEqual(['one', 'staged', 'not staged']);
    expect(unstaged.files[0]!.added).toBe(1);
  });

  it('works in a repository with no commits yet', async () => {
    const r = repo();
    r.write('first.ts', 'export const first = true;\n');
    r.git('add', '-A');
    const { files } = await loadChanges(r.root, { kind: 'staged' }, signal);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ path: 'first.ts', status: 'added', newComplete: true });
  });

  it('reviews a branch since its base, and one commit (the root commit too)', async () => {
    const r = repo({ 'a.ts': 'base\n' });
    r.git('checkout', '-q', '-b', 'feature');
    r.write('a.ts', 'base\nfeature\n');
    r.commit('feature work');
    r.write('b.ts', 'more\n');
    r.commit('more work');
    const base = await loadChanges(r.root, { kind: 'base', ref: 'main' }, signal);
    expect(base.files.map((f) => f.path)).toEqual(['a.ts', 'b.ts']);
    const commit = await loadChanges(r.root, { kind: 'commit', ref: 'HEAD~1' }, signal);
    expect(commit.files.map((f) => f.path)).toEqual(['a.ts']);
    expect(commit.files[0]!.newLines).toEqual(['base', 'feature']);
    const root = await loadChanges(r.root, { kind: 'commit', ref: 'main' }, signal);
    expect(root.files[0]).toMatchObject({ path: 'a.ts', status: 'added' });
  });
});
