// The start's sweep of our leftover temporary files: only names we make, never
// inside .git, never through a link out of the repository, never one a
// running process is writing.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStrayTemps } from '../../../tools/changes/stray-temps.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.remove()));

const OURS = '.0123456789abcdef.gptoss-tmp';

describe('removeStrayTemps', () => {
  it('removes ours, keeps look-alikes, skips .git, links and spared files', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a\n' });
    const outside = makeTempRepo({ [OURS]: 'outside' }, { git: false });
    repos.push(repo, outside);
    mkdirSync(path.join(repo.root, 'src', 'deep'), { recursive: true });
    const plant = (relative: string) => writeFileSync(path.join(repo.root, relative), 'x');
    plant(`src/${OURS}`);
    plant('src/deep/.aaaaaaaaaaaaaaaa.gptoss-tmp');
    plant('src/.main.ts.0a1b2c3d.gptoss-tmp');
    plant('src/deep/.bbbbbbbbbbbbbbbb.gptoss-tmp'); // a running process's, spared
    plant('.git/.cccccccccccccccc.gptoss-tmp');
    const lookalikes = ['src/x.gptoss-tmp', 'src/.0123456789abcdef.gptoss-tmp~', 'src/.GGGGGGGGGGGGGGGG.gptoss-tmp'];
    lookalikes.forEach(plant);
    symlinkSync(outside.root, path.join(repo.root, 'linked'));
    symlinkSync(path.join(outside.root, OURS), path.join(repo.root, '.dddddddddddddddd.gptoss-tmp'));

    const spare = new Set([path.join(repo.root, 'src/deep/.bbbbbbbbbbbbbbbb.gptoss-tmp')]);
    expect(await removeStrayTemps(repo.root, spare)).toBe(3);
    expect(readdirSync(path.join(repo.root, 'src')).sort()).toEqual(
      ['deep', 'x.gptoss-tmp', '.0123456789abcdef.gptoss-tmp~', '.GGGGGGGGGGGGGGGG.gptoss-tmp'].sort(),
    );
    expect(readdirSync(path.join(repo.root, 'src', 'deep'))).toEqual(['.bbbbbbbbbbbbbbbb.gptoss-tmp']);
    expect(existsSync(path.join(repo.root, '.git/.cccccccccccccccc.gptoss-tmp'))).toBe(true);
    expect(readdirSync(outside.root)).toEqual([OURS]);
  });

  it('stops after the entry limit, leaving the rest for a later start', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a\n' });
    repos.push(repo);
    mkdirSync(path.join(repo.root, 'z'));
    writeFileSync(path.join(repo.root, 'z', OURS), 'x');
    expect(await removeStrayTemps(repo.root, new Set(), 2)).toBe(0);
    expect(await removeStrayTemps(repo.root)).toBe(1);
  });
});
