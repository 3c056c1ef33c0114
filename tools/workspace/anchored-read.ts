// Opens a file the workspace guard has checked, for reading, without following
// a symbolic link at any step: through its directory held open
// (tools/workspace/anchored-dir.ts), then the file itself with O_NOFOLLOW. A component
// swapped for a link between the guard's check and the read cannot make a
// tool show the model, or put in a diff, a file outside the repository.
import { constants, type Stats } from 'node:fs';
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

/** Why a file was there but not read. */
export type AnchoredRefusal = 'link' | 'not-a-file' | 'too-large' | 'growing' | 'unopenable' | 'unreadable';

export type AnchoredBytes =
  { kind: 'read'; bytes: Buffer; stats: Stats } | { kind: 'missing' } | { kind: 'refused'; reason: AnchoredRefusal };

/**
 * The bytes of the file at `relative`, opened as openAnchoredFile opens it: a regular file of at most
 * `maxBytes`, read to the size it had when opened, plus one byte to notice one still growing. Never throws:
 * a link on the way, a FIFO or device, a file too large, growing or unreadable is refused with the reason.
 */
export async function readAnchoredBytes(root: string, relative: string, maxBytes: number): Promise<AnchoredBytes> {
  let handle: FileHandle | undefined;
  try {
    handle = await openAnchoredFile(root, relative);
  } catch (error) {
    return { kind: 'refused', reason: error instanceof ToolError ? 'link' : 'unopenable' };
  }
  if (!handle) return { kind: 'missing' };
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'refused', reason: 'not-a-file' };
    if (stats.size > maxBytes) return { kind: 'refused', reason: 'too-large' };
    const bytes = Buffer.alloc(stats.size + 1);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > stats.size) return { kind: 'refused', reason: 'growing' };
    return { kind: 'read', bytes: bytes.subarray(0, filled), stats };
  } catch {
    return { kind: 'refused', reason: 'unreadable' };
  } finally {
    await handle.close();
  }
}

/**
 * The text of the file at `relative`, read as readAnchoredBytes reads it (undefined when it is missing,
 * replaced, unreadable or longer than `maxBytes`).
 * For checking, after the fact, that what a program read by path is the file inside the repository.
 */
export async function readAnchoredText(root: string, relative: string, maxBytes: number): Promise<string | undefined> {
  const file = await readAnchoredBytes(root, relative, maxBytes);
  return file.kind === 'read' ? file.bytes.toString('utf8') : undefined;
}

function replaced(shown: string): ToolError {
  return new ToolError(
    `${shown} was replaced while it was being read (it, or a directory on its path, is now a symbolic link or ` +
      'something else). Nothing was read. Check the path with list_files and read it again.',
  );
}
