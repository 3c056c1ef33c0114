// git's diffs, as real repositories print them, read into files and numbered lines.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDiff, unquote } from '../../../tools/git/parse-diff.js';
import { PLAIN_DIFF } from '../../../tools/git/read-actions.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function stagedDiff(setUp: (repo: TempRepo) => void, files: Record<string, string | Buffer> = {}): string {
  const repo = makeTempRepo(files);
  repos.push(repo);
  setUp(repo);
  repo.git('add', '-A');
  return repo.git('-c', 'core.quotepath=off', 'diff', '--cached', ...PLAIN_DIFF);
}

describe('parseDiff', () => {
  it('numbers each line in the old and new versions, hunk by hunk', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after.splice(2, 1, 'line 3 changed', 'line 3b added');
    after.splice(25, 1);
    const diff = stagedDiff((r) => r.write('a.txt', `${after.join('\n')}\n`), { 'a.txt': `${before.join('\n')}\n` });
    const [file] = parseDiff(diff);
    expect(file).toMatchObject({ oldPath: 'a.txt', newPath: 'a.txt', status: 'modified', added: 2, removed: 2 });
    expect(file!.hunks).toHaveLength(2);
    const [first, second] = file!.hunks;
    expect(first!.lines.filter((l) => l.kind === 'add')).toEqual([
      { kind: 'add', text: 'line 3 changed', newLine: 3 },
      { kind: 'add', text: 'line 3b added', newLine: 4 },
    ]);
    expect(first!.lines.find((l) => l.kind === 'remove')).toEqual({ kind: 'remove', text: 'line 3', oldLine: 3 });
    // The first hunk added a line net, and the second removed one: old and new numbers meet again.
    expect(second!.lines.find((l) => l.kind === 'remove')).toEqual({ kind: 'remove', text: 'line 25', oldLine: 25 });
    expect(second!.lines[0]).toMatchObject({ kind: 'context', text: 'line 22', oldLine: 22, newLine: 23 });
    expect(second!.lines.at(-1)).toMatchObject({ kind: 'context', text: 'line 28', oldLine: 28, newLine: 28 });
  });

  it('reads added, deleted, renamed and binary files', () => {
    const diff = stagedDiff(
      (r) => {
        r.write('new.txt', 'fresh\n');
        r.git('rm', '-q', 'gone.txt');
        r.git('mv', 'before.txt', 'after.txt');
        r.write('after.txt', 'one\ntwo\nthree\nfour\nfive changed\n');
        r.write('image.bin', Buffer.from([0, 1, 2, 0, 255]));
      },
      { 'gone.txt': 'bye\n', 'before.txt': 'one\ntwo\nthree\nfour\nfive\n' },
    );
    const files = parseDiff(diff);
    const byPath = (p: string) => files.find((f) => (f.newPath ?? f.oldPath) === p);
    expect(byPath('new.txt')).toMatchObject({ status: 'added', added: 1 });
    expect(byPath('new.txt')!.oldPath).toBeUndefined();
    expect(byPath('gone.txt')).toMatchObject({ status: 'deleted', removed: 1 });
    expect(byPath('gone.txt')!.newPath).toBeUndefined();
    expect(byPath('after.txt')).toMatchObject({ status: 'renamed', oldPath: 'before.txt', added: 1, removed: 1 });
    expect(byPath('after.txt')!.similarity).toBeGreaterThan(50);
    expect(byPath('image.bin')).toMatchObject({ status: 'added', binary: true, hunks: [] });
  });

  it('reads a first commit (no HEAD) and a new empty file', () => {
    const repo = makeTempRepo();
    repos.push(repo);
    repo.write('a.txt', 'a\n');
    repo.write('empty.txt', '');
    repo.git('add', '-A');
    const files = parseDiff(repo.git('diff', '--cached', ...PLAIN_DIFF));
    expect(files.map((f) => [f.newPath, f.status, f.hunks.length])).toEqual([
      ['a.txt', 'added', 1],
      ['empty.txt', 'added', 0],
    ]);
  });

  it('reads names with spaces, quotes and non-ASCII letters', () => {
    const diff = stagedDiff((r) => {
      r.write('with space.txt', 'x\n');
      r.write('café.txt', 'y\n');
      r.write('tab\there.txt', 'z\n');
    });
    expect(parseDiff(diff).map((f) => f.newPath)).toEqual(['café.txt', 'tab\there.txt', 'with space.txt']);
  });

  it('keeps a line that looks like a header when it is hunk content', () => {
    const diff = [
      'diff --git a/notes.md b/notes.md',
      '--- a/notes.md',
      '+++ b/notes.md',
      '@@ -1,2 +1,3 @@',
      ' intro',
      '+--- not a header',
      ' end',
      '\\ No newline at end of file',
    ].join('\n');
    const [file] = parseDiff(diff);
    expect(file!.hunks[0]!.lines.map((l) => l.kind)).toEqual(['context', 'add', 'context']);
    expect(file!.newPath).toBe('notes.md');
  });

  it('unquotes C-style names', () => {
    expect(unquote('"caf\\303\\251 \\"x\\"\\tb"')).toBe('café "x"\tb');
    expect(unquote('plain')).toBe('plain');
  });
});
