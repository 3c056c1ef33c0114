import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteLock } from '../../../tools/changes/write-lock.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const dirs: TempRepo[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function setUp(waitMs?: number) {
  const dir = makeTempRepo({}, { git: false });
  dirs.push(dir);
  const lock = new WriteLock(dir.root, waitMs === undefined ? {} : { waitMs });
  /** Leaves the lock file for /repo as another process holding it would. */
  const plant = (owner: string) => writeFileSync(lock.fileFor('/repo'), owner);
  return { dir, lock, plant };
}

/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('the write lock', () => {
  it('runs one holder at a time in a process and removes its file afterwards', async () => {
    const { dir, lock } = setUp();
    const order: string[] = [];
    const slow = lock.hold('/repo', async () => {
      order.push('one starts');
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('one ends');
    });
    const fast = lock.hold('/repo', async () => void order.push('two'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['one starts', 'one ends', 'two']);
    expect(readdirSync(dir.root)).toEqual([]);
  });

  it('takes over the lock of a process that died holding it', async () => {
    const { dir, lock, plant } = setUp();
    plant(`${deadPid()}-dead`);
    expect(await lock.hold('/repo', async () => 'ran')).toBe('ran');
    expect(readdirSync(dir.root)).toEqual([]);
  });

  it('gives up with a clear error while another live process holds it', async () => {
    const { lock, plant } = setUp(50);
    // pid 1 is always alive.
    plant('1-other');
    await expect(lock.hold('/repo', async () => 'ran')).rejects.toThrow(
      /Another gptoss-agent process \(pid 1\) has been writing to this repository.*Nothing was changed; try the change again/,
    );
  });
});
