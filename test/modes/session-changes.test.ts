import { afterEach, describe, expect, it } from 'vitest';
import { changeSetDiff, SessionChanges } from '../../src/modes/session-changes.js';
import { applyFileChanges } from '../../tools/changes/file-changes.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

describe('the session diff', () => {
  it('shows the net change of every file since the session started', async () => {
    const repo = makeTempRepo({ 'a.txt': 'one\n', 'gone.txt': 'bye\n', 'same.txt': 'x\n' });
    repos.push(repo);
    const workspace = await Workspace.open(repo.root);
    const changes = new SessionChanges();
    expect((await changes.diff(workspace)).files).toEqual([]);

    changes.record(await applyFileChanges(workspace, [{ type: 'update', path: 'a.txt', content: 'two\n' }]));
    changes.record(
      await applyFileChanges(workspace, [
        { type: 'update', path: 'a.txt', content: 'three\n' },
        { type: 'add', path: 'new.txt', content: 'fresh\n' },
        { type: 'delete', path: 'gone.txt' },
      ]),
    );
    // Changed and changed back: not part of the session's effect.
    changes.record(await applyFileChanges(workspace, [{ type: 'update', path: 'same.txt', content: 'y\n' }]));
    changes.record(await applyFileChanges(workspace, [{ type: 'update', path: 'same.txt', content: 'x\n' }]));

    const { diff, files } = await changes.diff(workspace);
    expect(files).toEqual([
      { path: 'a.txt', change: 'update', added: 1, removed: 1 },
      { path: 'new.txt', change: 'add', added: 1, removed: 0 },
      { path: 'gone.txt', change: 'delete', added: 0, removed: 1 },
    ]);
    expect(diff).toContain('-one\n+three\n');
    expect(diff).not.toContain('two');

    // Put back by hand (or by undo): no longer part of what the session changed.
    repo.write('a.txt', 'one\n');
    expect((await changes.diff(workspace)).files.map((file) => file.path)).toEqual(['new.txt', 'gone.txt']);
  });

  it('gives the diff of one change set', async () => {
    const repo = makeTempRepo({ 'a.txt': 'one\n' });
    repos.push(repo);
    const set = await applyFileChanges(await Workspace.open(repo.root), [
      { type: 'update', path: 'a.txt', content: 'uno\n' },
    ]);
    expect(changeSetDiff(set).diff).toContain('--- a/a.txt\n+++ b/a.txt\n@@ -1,1 +1,1 @@\n-one\n+uno\n');
  });
});
