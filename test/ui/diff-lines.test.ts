import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../src/ui/diff-lines.js';

describe('parseUnifiedDiff', () => {
  it('numbers lines per file and counts what changed, over several files and hunks', () => {
    const diff = [
      'diff --git a/src/a.ts b/src/a.ts',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -9,3 +9,4 @@',
      ' nine',
      '-ten',
      '+TEN',
      '+ten and a half',
      ' eleven',
      '@@ -40,1 +41,1 @@',
      '-forty',
      '+FORTY',
      'diff --git a/new.txt b/new.txt',
      'new file',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1,2 @@',
      '+one',
      '+two',
      '',
    ].join('\n');
    const [a, added] = parseUnifiedDiff(diff);
    expect(a).toMatchObject({ path: 'src/a.ts', change: 'update', added: 3, removed: 2 });
    expect(a!.lines).toEqual([
      { kind: 'hunk', text: '@@ -9,3 +9,4 @@' },
      { kind: 'context', text: 'nine', number: 9 },
      { kind: 'remove', text: 'ten', number: 10 },
      { kind: 'add', text: 'TEN', number: 10 },
      { kind: 'add', text: 'ten and a half', number: 11 },
      { kind: 'context', text: 'eleven', number: 12 },
      { kind: 'hunk', text: '@@ -40,1 +41,1 @@' },
      { kind: 'remove', text: 'forty', number: 40 },
      { kind: 'add', text: 'FORTY', number: 41 },
    ]);
    expect(added).toMatchObject({ path: 'new.txt', change: 'add', added: 2, removed: 0 });
    expect(added!.lines.slice(1)).toEqual([
      { kind: 'add', text: 'one', number: 1 },
      { kind: 'add', text: 'two', number: 2 },
    ]);
  });

  it('reads deletions, moves and "no newline" notes', () => {
    const diff = [
      'diff --git a/old.txt b/old.txt',
      'deleted file',
      '--- a/old.txt',
      '+++ /dev/null',
      '@@ -1,1 +0,0 @@',
      '-gone',
      '\\ No newline at end of file',
      'diff --git a/a.txt b/b.txt',
      'rename from a.txt',
      'rename to b.txt',
      '--- a/a.txt',
      '+++ b/b.txt',
    ].join('\n');
    const [deleted, moved] = parseUnifiedDiff(diff);
    expect(deleted).toMatchObject({ path: 'old.txt', change: 'delete', removed: 1 });
    expect(deleted!.lines.at(-1)).toEqual({ kind: 'note', text: '\\ No newline at end of file' });
    expect(moved).toMatchObject({ path: 'a.txt -> b.txt', change: 'move', added: 0, removed: 0 });
  });

  it('treats "--- x" inside a hunk as a removed line, not a new file', () => {
    const diff = ['--- a/q.sql', '+++ b/q.sql', '@@ -1,2 +1,1 @@', '--- a comment', ' select 1;', ''].join('\n');
    const files = parseUnifiedDiff(diff);
    expect(files).toHaveLength(1);
    expect(files[0]!.lines[1]).toEqual({ kind: 'remove', text: '-- a comment', number: 1 });
  });
});
