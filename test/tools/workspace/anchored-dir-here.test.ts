// The path a child process gets as its working directory names the opened
// directory: on Linux, the very directory even after its name leads elsewhere;
// on other platforms its real path, refused once that leads out.
import { execFileSync } from 'node:child_process';
import { renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anchorsByDescriptor, openAnchoredDir, RedirectedWriteError } from '../../../tools/workspace/anchored-dir.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const dirs: TempRepo[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function setUp() {
  const root = makeTempRepo({ 'a/b/inside.txt': 'x\n' }, { git: false });
  const outside = makeTempRepo({ 'SECRET.txt': 'x\n' }, { git: false });
  dirs.push(root, outside);
  return { root: root.root, outside: outside.root };
}

const ls = (cwd: string) => execFileSync('ls', ['-1'], { cwd, encoding: 'utf8' }).trim();

describe('AnchoredDir.here', () => {
  it.runIf(anchorsByDescriptor())('held open (Linux): a child runs in the opened directory after a swap', async () => {
    const { root, outside } = setUp();
    const dir = await openAnchoredDir(root, 'a/b', { byDescriptor: true });
    try {
      expect(dir.here()).toBe(`/proc/${process.pid}/fd/${path.basename(dir.here())}`);
      renameSync(path.join(root, 'a'), path.join(root, 'a.real'));
      symlinkSync(outside, path.join(root, 'a'));
      expect(ls(dir.here())).toBe('inside.txt');
    } finally {
      await dir.close();
    }
  });

  it('checked by path (other platforms): the real path, refused once the directory leads out', async () => {
    const { root, outside } = setUp();
    const dir = await openAnchoredDir(root, 'a/b', { byDescriptor: false });
    expect(dir.here()).toBe(path.join(root, 'a/b'));
    expect(ls(dir.here())).toBe('inside.txt');
    renameSync(path.join(root, 'a'), path.join(root, 'a.real'));
    symlinkSync(outside, path.join(root, 'a'));
    expect(() => dir.here()).toThrow(RedirectedWriteError);
    await dir.close();
  });
});
