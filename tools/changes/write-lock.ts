// One writer at a time per repository, across every agent process of this
// user: a change set compares each file with the bytes it was computed from
// and renames the new ones into place while holding the lock, so two agents
// editing one file cannot both succeed with one edit lost.
//
// The lock is a file created with O_EXCL in the user's state directory, named
// after the repository and holding the owner's pid and a token. A lock whose
// process is gone (killed mid-write) is taken over.
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../tool-error.js';
import { processIsAlive } from '../processes/process-alive.js';

export interface WriteLockOptions {
  /** How long to wait for another writer before giving up (ms). */
  waitMs?: number;
}

export class WriteLock {
  private dirMade = false;

  constructor(
    readonly dir: string,
    private readonly options: WriteLockOptions = {},
  ) {}

  /** The lock file of the repository at `root`. */
  fileFor(root: string): string {
    return path.join(this.dir, `${createHash('sha256').update(root).digest('hex').slice(0, 24)}.lock`);
  }

  /** Runs `work` while no other agent writes to the repository at `root`. */
  async hold<T>(root: string, work: () => Promise<T>): Promise<T> {
    const file = this.fileFor(root);
    const mine = `${process.pid}-${randomBytes(6).toString('hex')}`;
    if (!this.dirMade) {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.dirMade = true;
    }
    const deadline = Date.now() + (this.options.waitMs ?? 15_000);
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      if (await created(file, mine)) break;
      const owner = await readFile(file, 'utf8').catch(() => undefined);
      if (owner === undefined) continue; // released meanwhile
      // Empty: its owner is between creating and filling it, or died there (then it is stale once we stop waiting).
      if (owner === '' ? Date.now() > deadline : !ownerIsAlive(owner)) {
        await takeOverStale(file, owner, mine);
        continue;
      }
      if (Date.now() > deadline) {
        throw new ToolError(
          `Another gptoss-agent process (pid ${owner.split('-')[0]}) has been writing to this repository for ` +
            `${Math.round((this.options.waitMs ?? 15_000) / 1000)} s. Nothing was changed; try the change again.`,
        );
      }
      await sleep(delay);
    }
    try {
      return await work();
    } finally {
      // Ours for sure: a lock is only taken over from a process that is gone.
      await unlink(file).catch(() => {});
    }
  }
}

async function created(file: string, content: string): Promise<boolean> {
  try {
    await writeFile(file, content, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Removes a dead owner's lock; if another process replaced it meanwhile, its lock is put back. */
async function takeOverStale(file: string, staleOwner: string, mine: string): Promise<void> {
  const aside = `${file}.${mine}.stale`;
  try {
    await rename(file, aside);
  } catch {
    return; // someone else moved it first
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  // link() never replaces: a lock taken in between stays the one that counts.
  if (moved !== staleOwner) await link(aside, file).catch(() => {});
  await unlink(aside).catch(() => {});
}

/** Owner text: `<pid>-<token>`; a lock of this very process is held by another of its writes. */
function ownerIsAlive(owner: string): boolean {
  const pid = Number(owner.split('-')[0]);
  return pid === process.pid || processIsAlive(pid);
}
