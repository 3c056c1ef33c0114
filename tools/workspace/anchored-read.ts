// Opens a file the workspace guard has checked, for reading, without following
// a symbolic link at any step: through its directory held open
// (tools/workspace/anchored-dir.ts), then the file itself with O_NOFOLLOW. A component
// swapped for a link between the guard's check and the read cannot make a
// tool show the model, or put in a diff, a file outside the repository.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { openAnchoredDir, RedirectedWriteError } from './anchored-dir.js';
import { ToolError } from '../tool-error.js';

// Non-blocking: a FIFO planted under the name must not hang the agent.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What tests use to change the tree at the moment an attacker needs: after the guard, before the open. */
export interface ReadSeams {
  checked?(): Promise<void>;
}

/**
 * The file at `relative` (as the guard resolved it: no links left in it) below
 * `root`, opened for reading; undefined when it does not exist. The caller closes it.
 */
export async function openAnchoredFile(
  root: string,
  relative: string,
  seams: ReadSeams = {},
): Promise<FileHandle | undefined> {
  await seams.checked?.();
  const shown = relative.split(path.sep).join('/');
  let dir;
  try {
    dir = await openAnchoredDir(root, path.dirname(relative));
  } catch (error) {
    if (error instanceof RedirectedWriteError) throw replaced(shown);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return await open(dir.entry(path.basename(relative)), READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'ENOTDIR') throw replaced(shown);
    throw error;
  } finally {
    await dir.close();
  }
}

/**
 * The text of the file at `relative`, read as openAnchoredFile opens it, up to
 * `maxBytes` (undefined when it is missing, replaced, unreadable or longer).
 * For checking, after the fact, that what a program read by path is the file inside the repository.
 */
export async function readAnchoredText(root: string, relative: string, maxBytes: number): Promise<string | undefined> {
  let handle: FileHandle | undefined;
  try {
    handle = await openAnchoredFile(root, relative);
    if (!handle) return undefined;
    const info = await handle.stat();
    if (!info.isFile() || info.size > maxBytes) return undefined;
    return await handle.readFile('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

function replaced(shown: string): ToolError {
  return new ToolError(
    `${shown} was replaced while it was being read (it, or a directory on its path, is now a symbolic link or ` +
      'something else). Nothing was read. Check the path with list_files and read it again.',
  );
}
