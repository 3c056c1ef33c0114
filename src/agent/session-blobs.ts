// File contents kept for undo, stored once each by their SHA-256 beside the
// session log: the bytes a change replaced are usually the bytes the change
// before it wrote. A blob is written to a temporary name, synced, then
// renamed, so a blob that exists is always whole.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

export class BlobStore {
  constructor(private readonly dir: string) {}

  /** Stores `bytes` durably and returns the name to read them back by. */
  put(bytes: Buffer): string {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const file = path.join(this.dir, hash);
    if (existsSync(file)) return hash;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    // Created new, never through a link left at the name.
    const fd = openSync(temp, 'wx', 0o600);
    try {
      try {
        let written = 0;
        while (written < bytes.length) written += writeSync(fd, bytes, written);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, file);
    } catch (error) {
      // A full disk: the part written must not stay behind.
      rmSync(temp, { force: true });
      throw error;
    }
    return hash;
  }

  get(hash: string): Buffer {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a blob name: ${hash}`);
    return readFileSync(path.join(this.dir, hash));
  }
}
