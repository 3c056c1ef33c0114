// Many paths of one repository looked up without following links, each
// directory opened once: from its parent held open, with O_NOFOLLOW
// (tools/workspace/anchored-dir.ts), instead of from the root for every path.
// For checking a listing or a search's results after the fact, where the
// paths come in tree order and share their directories.
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { openAnchoredDir, type AnchoredDir } from './anchored-dir.js';

// Non-blocking: a FIFO planted under the name must not hang the agent.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
/** Directories held open at most; then they are closed when no lookup is using one, and opened again as needed. */
const MAX_HELD = 128;

export class AnchoredTree {
  private readonly dirs = new Map<string, Promise<AnchoredDir | undefined>>();
  /** Lookups in progress: held directories are closed only when there are none. */
  private active = 0;

  constructor(private readonly root: string) {}

  /** Whether `relative` (forward slashes) names an entry in the repository; a link counts as itself. */
  exists(relative: string): Promise<boolean> {
    // One synchronous lstat costs less than a trip through the thread pool.
    return this.inDir(
      relative,
      false,
      (dir, name) => lstatSync(dir.entry(name), { throwIfNoEntry: false }) !== undefined,
    );
  }

  /** The regular file at `relative`, opened for reading without following links; undefined when it cannot be. */
  openFile(relative: string): Promise<FileHandle | undefined> {
    return this.inDir(relative, undefined, async (dir, name) => {
      const handle = await open(dir.entry(name), READ_FLAGS).catch(() => undefined);
      if (!handle) return undefined;
      // Closed here when it is not handed on, also when stat fails: the caller only closes what it gets.
      const isFile = await handle.stat().then(
        (info) => info.isFile(),
        () => false,
      );
      if (!isFile) await handle.close();
      return isFile ? handle : undefined;
    });
  }

  /**
   * The text of the regular file at `relative`, read synchronously (for worker threads, where blocking
   * costs nothing and the thread pool is shared); undefined when it cannot be read without following links.
   */
  readText(relative: string): Promise<string | undefined> {
    return this.inDir(relative, undefined, (dir, name) => {
      const fd = openSync(dir.entry(name), READ_FLAGS);
      try {
        return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
      } finally {
        closeSync(fd);
      }
    });
  }

  async close(): Promise<void> {
    const held = [...this.dirs.values()];
    this.dirs.clear();
    await Promise.all(held.map(async (dir) => (await dir)?.close()));
  }

  /** Runs `use` on the directory holding `relative` (`otherwise` when it cannot be opened, or use fails). */
  private async inDir<T>(
    relative: string,
    otherwise: T,
    use: (dir: AnchoredDir, name: string) => T | Promise<T>,
  ): Promise<T> {
    const dirRelative = path.posix.dirname(relative);
    const name = path.posix.basename(relative);
    const key = dirRelative === '' ? '.' : dirRelative;
    this.active++;
    let dir: AnchoredDir | undefined;
    let held = true;
    try {
      // Full: start again when nothing else is using a directory; otherwise open this one for this use only.
      if (this.dirs.size >= MAX_HELD && this.active === 1) await this.close();
      held = this.dirs.has(key) || this.dirs.size < MAX_HELD;
      dir = held ? await this.dir(key) : await openAnchoredDir(this.root, key).catch(() => undefined);
      return dir ? await use(dir, name) : otherwise;
    } catch {
      return otherwise;
    } finally {
      if (!held) await dir?.close();
      this.active--;
    }
  }

  /** The directory, opened from its parent held open; undefined when it is missing or not a real directory. */
  private dir(key: string): Promise<AnchoredDir | undefined> {
    let opening = this.dirs.get(key);
    if (!opening) {
      opening =
        key === '.'
          ? openAnchoredDir(this.root, '.').catch(() => undefined)
          : this.dir(path.posix.dirname(key))
              .then((parent) => (parent ? openAnchoredDir(parent.here(), path.posix.basename(key)) : undefined))
              .catch(() => undefined);
      this.dirs.set(key, opening);
    }
    return opening;
  }
}
