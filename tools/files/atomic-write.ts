// Writing a file whole or not at all: the bytes go to a temporary file beside
// it, which is then renamed over it, so a reader sees the old file or the new
// one, never a part. The temporary file's name cannot be guessed, it is only
// ever created new (never through a link planted at its name), and a write that
// fails removes it, so a full disk leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** The file's permissions, exactly (the umask does not narrow them); without it, 0o666 less the umask. */
  mode?: number;
  /** Flush the bytes to disk before the rename, so that after a crash the file is whole or absent. */
  fsync?: boolean;
}

/** Writes `data` to `file` atomically. The folder must exist. */
export async function writeFileAtomically(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const temporary = temporaryNameFor(file);
  const handle = await open(temporary, CREATE_NEW, options.mode ?? 0o666);
  try {
    await handle.writeFile(data);
    if (options.mode !== undefined) await handle.chmod(options.mode);
    if (options.fsync) await handle.sync();
    await handle.close();
    await rename(temporary, file);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

/**
 * The same, synchronously, for content written in pieces: `fill` is handed a
 * function that writes each piece whole. The folder must exist.
 */
export function writeFileAtomicallySync(
  file: string,
  fill: (write: (data: string | Uint8Array) => void) => void,
  options: AtomicWriteOptions = {},
): void {
  const temporary = temporaryNameFor(file);
  const fd = openSync(temporary, CREATE_NEW, options.mode ?? 0o666);
  try {
    try {
      fill((data) => writeWhole(fd, typeof data === 'string' ? Buffer.from(data) : data));
      if (options.mode !== undefined) fchmodSync(fd, options.mode);
      if (options.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function writeWhole(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written);
}

/** Hidden, beside the file (a rename within one file system), and unique. */
function temporaryNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(8).toString('hex')}.tmp`);
}

const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
