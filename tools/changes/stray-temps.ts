// Temporary files of ours that nothing names any more: a write cut short by a
// full disk in an earlier version, a journal lost with its state directory.
// Every temporary file this version makes is named by a journal note first
// (the write, its rollback, recovery's own), so a kill leaves nothing that the
// next start's recovery does not remove by name. The walk below finds the rest
// by their name alone (isTempName matches only names we make); it runs once per
// repository and state directory, recorded by SweptRecord, since a walk of a
// large tree at every start costs more than the start itself.
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { access, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openAnchoredDir } from '../workspace/anchored-dir.js';
import { isTempName } from './file-changes.js';

/** Directory entries looked at, at most: a start in a huge tree stays quick and leaves the rest for later. */
const ENTRY_LIMIT = 200_000;
const CONCURRENCY = 8;

/**
 * Removes our temporary files anywhere below `root` (never inside .git, never
 * through a symbolic link), except those in `spare` (absolute paths a running
 * process is writing). Returns how many were removed.
 */
export async function removeStrayTemps(
  root: string,
  spare: ReadonlySet<string> = new Set(),
  limit = ENTRY_LIMIT,
): Promise<number> {
  let removed = 0;
  let seen = 0;
  const pending = [''];
  const sweepDir = async (relativeDir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(root, relativeDir), { withFileTypes: true });
    } catch {
      return; // gone or unreadable: nothing of ours to find there
    }
    const ours: string[] = [];
    for (const entry of entries) {
      if (++seen > limit) break;
      // Dirent types come from lstat: a link to a directory is not walked into.
      if (entry.isDirectory() && entry.name !== '.git') pending.push(path.join(relativeDir, entry.name));
      else if (entry.isFile() && isTempName(entry.name) && !spare.has(path.join(root, relativeDir, entry.name))) {
        ours.push(entry.name);
      }
    }
    if (ours.length === 0) return;
    // Through the directory held open: a component swapped meanwhile cannot point the unlink elsewhere.
    const dir = await openAnchoredDir(root, relativeDir).catch(() => undefined);
    if (!dir) return;
    try {
      for (const name of ours)
        if (
          await unlink(dir.entry(name)).then(
            () => true,
            () => false,
          )
        )
          removed++;
    } finally {
      await dir.close();
    }
  };
  // Several directories at once: a start in a large tree waits on the disk, not on each read in turn.
  const worker = async (): Promise<void> => {
    for (let next = pending.shift(); next !== undefined && seen < limit; next = pending.shift()) await sweepDir(next);
  };
  // Workers that find the queue empty end; the first one keeps going and refills it, so start the rest after it.
  await sweepDir(pending.shift()!);
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return removed;
}

/** Which repositories have had their tree swept, as one empty file per repository under `dir` (the agent's state). */
export class SweptRecord {
  constructor(readonly dir: string) {}

  private fileFor(root: string): string {
    return path.join(this.dir, createHash('sha256').update(root).digest('hex').slice(0, 24));
  }

  /** Whether the tree at `root` was swept with this state directory. */
  has(root: string): Promise<boolean> {
    return access(this.fileFor(root)).then(
      () => true,
      () => false,
    );
  }

  async mark(root: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(this.fileFor(root), '', { mode: 0o600 });
  }
}
