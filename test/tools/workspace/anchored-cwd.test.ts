// A search program's working directory is the directory the guard checked,
// held open: renaming it and putting a link in its place afterwards changes
// nothing for the program, and a link there before the open is refused.
import { execFileSync } from 'node:child_process';
import { renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAnchoredCwd } from '../../../tools/workspace/anchored-cwd.js';
import { anchorsByDescriptor } from '../../../tools/workspace/anchored-dir.js';
import { ToolError } from '../../../tools/tool-error.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.remove()));

function repoWith(files: Record<string, string>): TempRepo {
  const repo = makeTempRepo(files, { git: false });
  repos.push(repo);
  return repo;
}

/** What `ls` run in `cwd` lists (a child process, as ripgrep and git are). */
function listIn(cwd: string, operand = '.'): string[] {
  return execFileSync('ls', ['-1', '--', operand], { cwd, encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('openAnchoredCwd', () => {
  it('names the paths a program prints relative to the root, for a directory, the root and a file', async () => {
    const repo = repoWith({ 'd/e/f.txt': 'x\n', 'top.txt': 'x\n' });
    const dir = await openAnchoredCwd(repo.root, 'd/e', { isFile: false, what: 'searched' });
    const root = await openAnchoredCwd(repo.root, '.', { isFile: false, what: 'searched' });
    const file = await openAnchoredCwd(repo.root, 'd/e/f.txt', { isFile: true, what: 'searched' });
    try {
      expect([dir.operand, dir.toRoot('./f.txt'), dir.toRoot('f.txt')]).toEqual(['.', 'd/e/f.txt', 'd/e/f.txt']);
      expect([root.operand, root.toRoot('./top.txt')]).toEqual(['.', 'top.txt']);
      expect([file.operand, file.toRoot('f.txt')]).toEqual(['f.txt', 'd/e/f.txt']);
      expect(listIn(file.cwd, file.operand)).toEqual(['f.txt']);
    } finally {
      await Promise.all([dir.close(), root.close(), file.close()]);
    }
  });

  it.runIf(anchorsByDescriptor())(
    'keeps a program in the opened directory after it is swapped for a link',
    async () => {
      const outside = repoWith({ 'SECRET.txt': 'x\n' });
      const repo = repoWith({ 'd/inside.txt': 'x\n' });
      const dir = path.join(repo.root, 'd');
      const at = await openAnchoredCwd(repo.root, 'd', { isFile: false, what: 'searched' });
      try {
        renameSync(dir, `${dir}.real`);
        symlinkSync(outside.root, dir);
        expect(listIn(at.cwd)).toEqual(['inside.txt']);
      } finally {
        await at.close();
      }
    },
  );

  it('refuses a directory that is a link when it is opened, saying what to do', async () => {
    const outside = repoWith({ 'SECRET.txt': 'x\n' });
    const repo = repoWith({ 'd/inside.txt': 'x\n' });
    const dir = path.join(repo.root, 'd');
    const opening = openAnchoredCwd(repo.root, 'd', {
      isFile: false,
      what: 'listed',
      seams: {
        checked: async () => {
          renameSync(dir, `${dir}.real`);
          symlinkSync(outside.root, dir);
        },
      },
    });
    await expect(opening).rejects.toThrow(ToolError);
    await expect(opening).rejects.toThrow(/d was replaced while it was being listed.*Nothing was listed/);
  });
});
