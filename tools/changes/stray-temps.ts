// Temporary files of ours that nothing names any more: a process killed before
// its journal note was written, a write cut short by a full disk in an earlier
// version, a journal lost with its state directory. The next start finds them
// by their name alone (isTempName matches only names we make) and removes them.
import type { Dirent } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
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
