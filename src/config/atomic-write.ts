// Files the user reads whole (the project config, a SARIF log) are written
// to a temporary file beside them and renamed into place, so a failed write
// leaves the old file as it was, and the temporary file is never left behind
// (tools/files/atomic-write.ts; here with the folder made first).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically as writeAtomically } from '../../tools/files/atomic-write.js';
import { openAnchoredDir } from '../../tools/workspace/anchored-dir.js';

export async function writeFileAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeAtomically(file, text);
}

/**
 * The same for a file inside a repository (`relative` below `root`), whose own
 * files are untrusted: every directory on the way is held open without
 * following a link (a `.gptoss-agent` that is a link elsewhere is refused),
 * and the temporary file is only ever created new, never through a link.
 */
export async function writeFileInsideAtomically(root: string, relative: string, text: string): Promise<void> {
  const dir = await openAnchoredDir(root, path.dirname(relative), { create: true });
  try {
    const temporary = dir.entry(`.${path.basename(relative)}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o644);
    try {
      await handle.writeFile(text);
      await handle.close();
      await rename(temporary, dir.entry(path.basename(relative)));
    } catch (error) {
      await handle.close().catch(() => {});
      await unlink(temporary).catch(() => {});
      throw error;
    }
  } finally {
    await dir.close();
  }
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
