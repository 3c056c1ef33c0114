// Finds files anywhere in the repository whose name is close to a missing
// one: a model that reads "cart.js" while the user's file is src/cart.js
// (paths start at the root, not at the user's subdirectory) is told where it is.
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { nameDistance } from './close-names.js';
import { walkFiles } from './file-sources.js';
import type { Workspace } from '../workspace/workspace.js';

/** Files looked at, at most: a miss in a huge tree stays quick and the walk always ends. */
const SCAN_LIMIT = 100_000;

export interface CloseFile {
  /** Relative to the root. */
  path: string;
  /** nameDistance of its file name: 0 is the same name but for case. */
  distance: number;
}

/** Up to `max` files whose name is close to `name`, closest first, shortest path first among equals. */
export async function filesNamedLike(
  workspace: Pick<Workspace, 'root' | 'isGitRepo'>,
  name: string,
  max = 3,
  signal: AbortSignal = new AbortController().signal,
): Promise<CloseFile[]> {
  const found: CloseFile[] = [];
  let scanned = 0;
  try {
    await walkFiles({
      workspace,
      dir: '.',
      rg: undefined,
      signal,
      onFile(relative) {
        const distance = nameDistance(path.posix.basename(relative), name);
        if (distance !== undefined) found.push({ path: relative, distance });
        return ++scanned >= SCAN_LIMIT ? 'stop' : undefined;
      },
    });
  } catch {
    return []; // A hint only: a failed walk must not hide the "no such file" error.
  }
  found.sort((a, b) => a.distance - b.distance || a.path.length - b.path.length || a.path.localeCompare(b.path));
  const existing: CloseFile[] = [];
  // git's index may still list a file deleted since: only files that exist are suggested.
  for (const file of found) {
    if (existing.length >= max) break;
    const info = await lstat(path.join(workspace.root, file.path)).catch(() => undefined);
    if (info?.isFile()) existing.push(file);
  }
  return existing;
}
