import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyFileChanges,
  restoreSnapshots,
  type CommitSteps,
  type PlannedChange,
} from '../../../tools/changes/file-changes.js';
import { ToolError } from '../../../tools/tool.js';
import { Workspace } from '../../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';
import { patchHarness } from '../apply-patch-harness.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

async function setup(files: Record<string, string>) {
  const harness = await patchHarness(files);
  repos.push(harness.repo);
  return harness;
}

/** Real steps that count every call and fail the `failAt`-th one (1-based). */
function failingSteps(failAt: number): CommitSteps & { calls: string[] } {
  const calls: string[] = [];
  const step =
    <A extends unknown[]>(name: string, real: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      calls.push(name);
      if (calls.length === failAt) throw new Error(`injected failure in ${name}`);
      await real(...args);
    };
  return { calls, rename: step('rename', rename), unlink: step('unlink', unlink) };
}

const FILES = {
  'a.txt': 'a\n',
  'c.txt': 'c\n',
  'd.txt': 'd\n',
  'exists/keep.txt': 'k\n',
};
const CHANGES: PlannedChange[] = [
  { type: 'update', path: 'a.txt', content: 'A\n' },
  { type: 'add', path: 'new/dir/b.txt', content: 'b\n' },
  { type: 'add', path: 'exists/deeper/f.txt', content: 'f\n' },
  { type: 'delete', path: 'c.txt' },
  { type: 'update', path: 'd.txt', content: 'D\n', moveTo: 'moved/d.txt' },
];
/** rename a, rename b, rename f, unlink c, rename d, unlink d */
const COMMIT_STEPS = 6;

describe('applyFileChanges', () => {
  it('applies every change and reports the bytes before and after', async () => {
    const h = await setup(FILES);
    const steps = failingSteps(Number.POSITIVE_INFINITY);
    const set = await applyFileChanges(h.ctx.workspace, CHANGES, steps);
    expect(steps.calls).toEqual(['rename', 'rename', 'rename', 'unlink', 'rename', 'unlink']);
    expect(steps.calls).toHaveLength(COMMIT_STEPS);
    expect([...h.tree().entries()].map(([p, b]) => `${p}=${b.toString()}`)).toEqual([
      'a.txt=A\n',
      'exists/=',
      'exists/deeper/=',
      'exists/deeper/f.txt=f\n',
      'exists/keep.txt=k\n',
      'moved/=',
      'moved/d.txt=D\n',
      'new/=',
      'new/dir/=',
      'new/dir/b.txt=b\n',
    ]);
    const show = (s: { path: string; existed: boolean; bytes?: Buffer }) => `${s.path}:${s.existed ? s.bytes : '-'}`;
    expect(set.before.map(show)).toEqual([
      'a.txt:a\n',
      'new/dir/b.txt:-',
      'exists/deeper/f.txt:-',
      'c.txt:c\n',
      'd.txt:d\n',
      'moved/d.txt:-',
    ]);
    expect(set.after.map(show)).toEqual([
      'a.txt:A\n',
      'new/dir/b.txt:b\n',
      'exists/deeper/f.txt:f\n',
      'c.txt:-',
      'd.txt:-',
      'moved/d.txt:D\n',
    ]);
    // Only directories that did not exist, outermost first, so undo can remove them again.
    expect(set.createdDirs).toEqual(['new', 'new/dir', 'exists/deeper', 'moved']);
  });

  for (let failAt = 1; failAt <= COMMIT_STEPS; failAt++) {
    it(`rolls everything back when commit step ${failAt} of ${COMMIT_STEPS} fails`, async () => {
      const h = await setup(FILES);
      const before = h.tree();
      const steps = failingSteps(failAt);
      const failure = await applyFileChanges(h.ctx.workspace, CHANGES, steps).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ToolError);
      expect((failure as Error).message).toBe(
        `Writing the change failed and nothing was changed: injected failure in ${steps.calls[failAt - 1]}`,
      );
      // Same bytes, no temporary files, no directories left from the added files.
      expect(h.tree()).toEqual(before);
      expect(h.repo.git('status', '--porcelain', '--ignored')).toBe('');
    });
  }

  it('removes the parent directories it created for an added file when it rolls back', async () => {
    const h = await setup({ 'exists/keep.txt': 'k\n' });
    const failure = await applyFileChanges(
      h.ctx.workspace,
      [{ type: 'add', path: 'exists/one/two/f.txt', content: 'f\n' }],
      failingSteps(1),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ToolError);
    expect(existsSync(path.join(h.repo.root, 'exists', 'one'))).toBe(false);
    expect(readdirSync(path.join(h.repo.root, 'exists'))).toEqual(['keep.txt']);
  });

  it('checks every change before writing any', async () => {
    const h = await setup({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const before = h.tree();
    const steps = failingSteps(Number.POSITIVE_INFINITY);
    await expect(
      applyFileChanges(
        h.ctx.workspace,
        [
          { type: 'update', path: 'a.txt', content: 'A\n' },
          { type: 'add', path: 'b.txt', content: 'B\n' },
        ],
        steps,
      ),
    ).rejects.toThrow('Cannot add b.txt: it already exists. Use "*** Update File:" to change it.');
    expect(steps.calls).toEqual([]);
    expect(h.tree()).toEqual(before);
  });

  it('keeps file modes through an update, a move and a rollback', async () => {
    const h = await setup({
      'run.sh': '#!/bin/sh\necho hi\n',
      'private.txt': 's\n',
      'shared.txt': 'g\n',
      'plain.txt': 'p\n',
    });
    const file = (name: string) => path.join(h.repo.root, name);
    chmodSync(file('run.sh'), 0o755);
    chmodSync(file('private.txt'), 0o600);
    chmodSync(file('shared.txt'), 0o664);
    await applyFileChanges(h.ctx.workspace, [
      { type: 'update', path: 'run.sh', content: '#!/bin/sh\necho bye\n' },
      { type: 'update', path: 'private.txt', content: 'S\n', moveTo: 'secret/private.txt' },
      { type: 'update', path: 'shared.txt', content: 'G\n' },
    ]);
    const mode = (name: string) => statSync(file(name)).mode & 0o7777;
    expect(mode('run.sh')).toBe(0o755);
    expect(mode('secret/private.txt')).toBe(0o600);
    expect(mode('shared.txt')).toBe(0o664);

    // The last step fails, so both renamed files are put back: with their modes.
    const failure = await applyFileChanges(
      h.ctx.workspace,
      [
        { type: 'update', path: 'run.sh', content: 'x\n' },
        { type: 'update', path: 'shared.txt', content: 'y\n' },
        { type: 'delete', path: 'plain.txt' },
      ],
      failingSteps(3),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ToolError);
    expect(mode('run.sh')).toBe(0o755);
    expect(mode('shared.txt')).toBe(0o664);
    expect(h.read('run.sh')).toBe('#!/bin/sh\necho bye\n');
  });

  it('restores snapshots for undo, removing files that did not exist', async () => {
    const h = await setup({ 'a.txt': 'a\n' });
    const set = await applyFileChanges(h.ctx.workspace, [
      { type: 'update', path: 'a.txt', content: 'A\n', moveTo: 'b.txt' },
      { type: 'add', path: 'c.txt', content: 'c\n' },
    ]);
    await restoreSnapshots(h.ctx.workspace, set.before);
    expect([...h.tree().keys()]).toEqual(['a.txt']);
    expect(h.read('a.txt')).toBe('a\n');
  });

  it('refuses targets the workspace guard refuses, before touching anything', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a\n' });
    repos.push(repo);
    mkdirSync(path.join(repo.root, 'sub', '.git'), { recursive: true });
    const workspace = await Workspace.open(repo.root);
    await expect(
      applyFileChanges(workspace, [
        { type: 'update', path: 'a.txt', content: 'A\n' },
        { type: 'add', path: 'sub/.git/hooks/x', content: 'x\n' },
      ]),
    ).rejects.toThrow('"sub/.git/hooks/x" is inside a .git directory');
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
