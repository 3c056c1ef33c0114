// The git tool's commit records exactly what the user was shown, or nothing:
// a change to the files, the index or HEAD while the prompt is open refuses
// the commit; every file is in the prompt (hook scripts included); and no
// repository hook runs in any approval mode, which the result says.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApprovalGate } from '../../src/agent/approval-gate.js';
import { gitTool } from '../../tools/git.js';
import type { ApprovalRequest, ToolContext } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function repo(files: Record<string, string>): TempRepo {
  const made = makeTempRepo(files);
  made.git('config', 'user.name', 'Test');
  made.git('config', 'user.email', 't@example.com');
  cleanups.push(() => made.remove());
  return made;
}

function markerDir(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gptoss-marker-')));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function hook(file: string, markers: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho ran >> '${markers}/${path.basename(file)}'\n`);
  chmodSync(file, 0o755);
}

/** A context whose approver runs `during` while the prompt is open, then says yes. */
async function context(
  root: string,
  during: () => void = () => {},
): Promise<{ ctx: ToolContext; asked: ApprovalRequest[] }> {
  const asked: ApprovalRequest[] = [];
  const ctx: ToolContext = {
    workspace: await Workspace.open(root),
    signal: new AbortController().signal,
    ask: async (request) => {
      asked.push(request);
      during();
      return { approved: true };
    },
  };
  return { ctx, asked };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the call to fail');
}

describe('commit: exactly what was approved', () => {
  it('a line appended while the prompt is open refuses the commit and commits and stages nothing', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    r.write('a.txt', 'one\ntwo\n');
    const { ctx, asked } = await context(r.root, () => r.write('a.txt', 'one\ntwo\nthree\n'));
    const message = await failure(gitTool.execute({ action: 'commit', message: 'Add two', paths: ['a.txt'] }, ctx));
    expect(message).toMatch(/^Nothing was committed: the files or the index changed after the commit was shown/);
    expect(asked[0]!.diff).toContain('+two');
    expect(r.git('rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(r.git('diff', '--cached', '--name-only')).toBe('');
  });

  it('a file staged by someone else while the prompt is open refuses the commit', async () => {
    const r = repo({ 'a.txt': 'one\n', 'b.txt': 'b\n' });
    r.write('a.txt', 'one\ntwo\n');
    r.write('b.txt', 'b changed\n');
    const { ctx } = await context(r.root, () => r.git('add', 'b.txt'));
    expect(await failure(gitTool.execute({ action: 'commit', message: 'Add two', paths: ['a.txt'] }, ctx))).toMatch(
      /the files or the index changed/,
    );
    expect(r.git('rev-list', '--count', 'HEAD').trim()).toBe('1');
  });

  it('HEAD moving while the prompt is open refuses the commit', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    r.write('a.txt', 'one\ntwo\n');
    const { ctx } = await context(r.root, () => r.git('commit', '-q', '--allow-empty', '-m', 'meanwhile'));
    expect(await failure(gitTool.execute({ action: 'commit', message: 'Add two', paths: ['a.txt'] }, ctx))).toMatch(
      /^Nothing was committed: HEAD moved/,
    );
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('meanwhile');
  });

  it('what is committed is byte for byte what was shown, and the index matches it', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    r.write('a.txt', 'one\r\ntwo \n');
    r.write('bin.dat', Buffer.from([0, 1, 2, 255]));
    const { ctx } = await context(r.root);
    const result = await gitTool.execute(
      { action: 'commit', message: 'Bytes  \n\n\n\nbody  ', paths: ['a.txt', 'bin.dat'] },
      ctx,
    );
    expect(result.output).toMatch(/^Committed [0-9a-f]+ "Bytes {2}": 2 files/);
    expect(r.git('show', 'HEAD:a.txt')).toBe('one\r\ntwo \n');
    expect(Buffer.from(execGitBytes(r, 'HEAD:bin.dat'))).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(r.git('log', '-1', '--format=%B')).toBe('Bytes\n\nbody\n\n');
    expect(r.git('status', '--porcelain')).toBe('');
  });

  it('shows every file in the prompt, a hook script among them, even when the diff is cut', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    const m = markerDir();
    r.write('big.txt', 'line\n'.repeat(120_000));
    hook(path.join(r.root, '.githooks', 'pre-commit'), m);
    r.git('config', 'core.hooksPath', '.githooks');
    r.write('a.txt', 'one\ntwo\n');
    const { ctx, asked } = await context(r.root);
    const result = await gitTool.execute(
      { action: 'commit', message: 'Everything', paths: ['big.txt', '.githooks/pre-commit', 'a.txt'] },
      ctx,
    );
    const files = asked[0]!.files!.map((file) => file.path).sort();
    expect(files).toEqual(['.githooks/pre-commit', 'a.txt', 'big.txt']);
    expect(asked[0]!.warning).toMatch(/the diff is too long to show whole.*the file list is complete/);
    expect(asked[0]!.warning).toMatch(/The repository's pre-commit hook will not run/);
    expect(result.output).toMatch(/The repository's pre-commit hook was not run\.$/);
    expect(readdirSync(m)).toEqual([]);
  });

  it('a hook script in the change is in the diff the user reads', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    const m = markerDir();
    hook(path.join(r.root, '.githooks', 'pre-commit'), m);
    const { ctx, asked } = await context(r.root);
    await gitTool.execute({ action: 'commit', message: 'Hook', paths: ['.githooks/pre-commit'] }, ctx);
    expect(asked[0]!.diff).toContain('+++ b/.githooks/pre-commit');
    expect(asked[0]!.diff).toContain(`+echo ran >> '${m}/pre-commit'`);
  });

  it('a file that goes through a filter (git-lfs) is not committed raw: refused before asking', async () => {
    const r = repo({ 'a.txt': 'one\n', '.gitattributes': '*.bin filter=lfs\n' });
    r.git('config', 'filter.lfs.clean', 'git-lfs clean -- %f');
    r.write('model.bin', 'large\n');
    r.write('a.txt', 'one\ntwo\n');
    const { ctx, asked } = await context(r.root);
    const message = await failure(
      gitTool.execute({ action: 'commit', message: 'Add model', paths: ['model.bin', 'a.txt'] }, ctx),
    );
    expect(message).toMatch(/^Not committed: model\.bin \(filter "lfs"\) goes through a git filter/);
    expect(asked).toEqual([]);
    expect(r.git('rev-list', '--count', 'HEAD').trim()).toBe('1');
    // Without the filter's config the attribute does nothing, and the commit goes ahead.
    r.git('config', '--unset', 'filter.lfs.clean');
    await gitTool.execute({ action: 'commit', message: 'Add model', paths: ['model.bin'] }, ctx);
    expect(r.git('show', 'HEAD:model.bin')).toBe('large\n');
  });

  it.each(['suggest', 'auto-edit', 'full-auto'] as const)(
    'in %s mode no hook runs and the result says so',
    async (mode) => {
      const r = repo({ 'a.txt': 'one\n' });
      const m = markerDir();
      for (const name of ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'reference-transaction']) {
        hook(path.join(r.root, '.git', 'hooks', name), m);
      }
      r.write('a.txt', 'one\ntwo\n');
      const gate = createApprovalGate({
        mode: () => mode,
        rules: [],
        approver: async () => ({ approved: true }),
        emit: () => {},
      });
      const ctx: ToolContext = {
        workspace: await Workspace.open(r.root),
        signal: new AbortController().signal,
        ask: (request) => gate('1', request, new AbortController().signal),
      };
      const result = await gitTool.execute({ action: 'commit', message: 'Add two', paths: ['a.txt'] }, ctx);
      expect(result.output).toMatch(
        /^Committed [0-9a-f]+ "Add two": 1 file, \+1 -0\. The repository's pre-commit, prepare-commit-msg, commit-msg, post-commit, reference-transaction hooks were not run\.$/,
      );
      expect(result.summary).toMatch(/\(hooks not run\)$/);
      expect(readdirSync(m)).toEqual([]);
      expect(r.git('show', 'HEAD:a.txt')).toBe('one\ntwo\n');
    },
  );
});

function execGitBytes(r: TempRepo, spec: string): Buffer {
  return execFileSync('git', ['cat-file', 'blob', spec], { cwd: r.root });
}
