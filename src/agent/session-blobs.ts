// File contents kept for undo, stored once each by their SHA-256 beside the
// session log: the bytes a change replaced are usually the bytes the change
// before it wrote. A blob is written to a temporary name, synced, then
// renamed, so a blob that exists is always whole.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicallySync } from '../../tools/files/atomic-write.js';

export class BlobStore {
  constructor(private readonly dir: string) {}

  /** Stores `bytes` durably and returns the name to read them back by. */
  put(bytes: Buffer): string {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const file = path.join(this.dir, hash);
    if (existsSync(file)) return hash;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writeFileAtomicallySync(file, (write) => write(bytes), { mode: 0o600, fsync: true });
    return hash;
  }

  get(hash: string): Buffer {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a blob name: ${hash}`);
    return readFileSync(path.join(this.dir, hash));
  }
}
