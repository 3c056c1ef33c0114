// Looking up many paths of a repository without following links: links (to
// a file or on the way) count as themselves or as nothing, never as what
// they point at, however many directories the lookups go through.
import { execFileSync } from 'node:child_process';
import { renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnchoredTree } from '../../../tools/workspace/anchored-tree.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.remove()));

function repoWith(files: Record<string, string>): TempRepo {
  const repo = makeTempRepo(files, { git: false });
  repos.push(repo);
  return repo;
}

describe('AnchoredTree', () => {
  it('reads and finds files inside, and never through a link', async () => {
    const outside = repoWith({ 'f.txt': 'SECRET\n' });
    const repo = repoWith({ 'a/b/f.txt': 'inside\n', 'top.txt': 'top\n' });
    symlinkSync(outside.root, path.join(repo.root, 'a/dir-link'));
    symlinkSync(path.join(outside.root, 'f.txt'), path.join(repo.root, 'a/file-link'));
    execFileSync('mkfifo', [path.join(repo.root, 'a/fifo')]);
    const tree = new AnchoredTree(repo.root);
    try {
      expect(await tree.readText('a/b/f.txt')).toBe('inside\n');
      expect(await tree.readText('top.txt')).toBe('top\n');
      const handle = await tree.openFile('a/b/f.txt');
      expect(await handle?.readFile('utf8')).toBe('inside\n');
      await handle?.close();
      for (const through of ['a/dir-link/f.txt', 'a/file-link', 'a/fifo', 'a/missing.txt']) {
        expect(await tree.readText(through)).toBeUndefined();
        expect(await tree.openFile(through)).toBeUndefined();
      }
      // The links and the FIFO exist as themselves; nothing exists behind a link.
      expect(await tree.exists('a/file-link')).toBe(true);
      expect(await tree.exists('a/fifo')).toBe(true);
      expect(await tree.exists('a/dir-link/f.txt')).toBe(false);
      expect(await tree.exists('a/missing.txt')).toBe(false);
    } finally {
      await tree.close();
    }
  });

  it('does not follow a directory swapped for a link after an earlier lookup in it', async () => {
    const outside = repoWith({ 'f.txt': 'SECRET\n' });
    const repo = repoWith({ 'd/f.txt': 'inside\n', 'd/g.txt': 'inside\n' });
    const tree = new AnchoredTree(repo.root);
    try {
      expect(await tree.readText('d/g.txt')).toBe('inside\n');
      const dir = path.join(repo.root, 'd');
      renameSync(dir, `${dir}.real`);
      symlinkSync(outside.root, dir);
      // The directory held open is the real one, moved: its file, never the secret.
      expect(await tree.readText('d/f.txt')).toBe('inside\n');
    } finally {
      await tree.close();
    }
    const fresh = new AnchoredTree(repo.root);
    try {
      expect(await fresh.readText('d/f.txt')).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('answers for more directories than it holds open, one at a time and many at once', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`p${i % 7}/d${i}/f.txt`] = `${i}\n`;
    const repo = repoWith(files);
    const tree = new AnchoredTree(repo.root);
    try {
      for (let i = 0; i < 300; i++) expect(await tree.readText(`p${i % 7}/d${i}/f.txt`)).toBe(`${i}\n`);
      // 7 and 300 share no factor: every directory once, out of order, all lookups in flight together.
      const order = Array.from({ length: 300 }, (_, i) => (i * 7) % 300);
      const texts = await Promise.all(order.map((j) => tree.readText(`p${j % 7}/d${j}/f.txt`)));
      expect(texts).toEqual(order.map((j) => `${j}\n`));
    } finally {
      await tree.close();
    }
  });
});
