import { mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAnchoredDir, RedirectedWriteError } from '../../../tools/workspace/anchored-dir.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const dirs: TempRepo[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function setUp() {
  const root = makeTempRepo({ 'a/b/f.txt': 'f\n' }, { git: false });
  const outside = makeTempRepo({}, { git: false });
  dirs.push(root, outside);
  return { root: root.root, outside: outside.root };
}

// Linux holds directories open; elsewhere the path is checked just before each step. Both are tried here.
describe.each([
  { way: 'held open (Linux)', byDescriptor: true },
  { way: 'checked by path (other platforms)', byDescriptor: false },
])('a directory opened for writing, $way', ({ byDescriptor }) => {
  it('names files inside it, and makes missing directories when asked', async () => {
    const { root } = setUp();
    const created: string[] = [];
    const dir = await openAnchoredDir(root, 'a/new/deeper', {
      create: true,
      byDescriptor,
      created: (made) => created.push(made),
    });
    writeFileSync(dir.entry('x.txt'), 'x\n');
    await dir.close();
    expect(readFileSync(path.join(root, 'a/new/deeper/x.txt'), 'utf8')).toBe('x\n');
    expect(created).toEqual([path.join(root, 'a/new'), path.join(root, 'a/new/deeper')]);
  });

  it('refuses a component that is a symbolic link, or a climb out', async () => {
    const { root, outside } = setUp();
    symlinkSync(outside, path.join(root, 'a', 'link'));
    await expect(openAnchoredDir(root, 'a/link', { byDescriptor })).rejects.toThrow(RedirectedWriteError);
    await expect(openAnchoredDir(root, 'a/link/deeper', { create: true, byDescriptor })).rejects.toThrow(
      'a/link is no longer a directory inside the repository',
    );
    await expect(openAnchoredDir(root, 'a/../..', { byDescriptor })).rejects.toThrow(RedirectedWriteError);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses, or stays in the directory it opened, when a component becomes a link after opening', async () => {
    const { root, outside } = setUp();
    const dir = await openAnchoredDir(root, 'a/b', { byDescriptor });
    renameSync(path.join(root, 'a'), path.join(root, 'a.real'));
    symlinkSync(outside, path.join(root, 'a'));
    mkdirSync(path.join(outside, 'b'));
    try {
      const entry = dir.entry('f.txt');
      // Held open: the name leads to the same directory, now at a.real/b.
      await rename(entry, dir.entry('g.txt'));
      expect(readdirSync(path.join(root, 'a.real/b'))).toEqual(['g.txt']);
    } catch (error) {
      expect(byDescriptor).toBe(false);
      expect(error).toBeInstanceOf(RedirectedWriteError);
    }
    await dir.close();
    expect(readdirSync(path.join(outside, 'b'))).toEqual([]);
  });
});
