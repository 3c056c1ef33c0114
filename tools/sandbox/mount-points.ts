// The directories inside the repository that a command must never write,
// even where they do not exist yet (.gptoss-agent: a command that created
// .gptoss-agent/config.json would choose the next session's approval rules).
// bubblewrap can only mount over a path that exists, and creating the mount
// point inside the shared repository would create it on the host, so the
// sandbox does that itself: it makes the empty directory before the command,
// binds it read-only, and removes it afterwards when the last command using it
// ends. rmdir only removes an empty directory, so nothing anyone put there
// later is ever lost.
import { mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';

export interface MountPointFs {
  mkdir(absolute: string): void;
  rmdir(absolute: string): void;
}

const realFs: MountPointFs = {
  mkdir: (absolute) => mkdirSync(absolute),
  rmdir: (absolute) => rmdirSync(absolute),
};

/** One per Sandbox: counts the commands using each directory it made, so a running command never loses its mount point. */
export class MountPoints {
  private readonly made = new Map<string, number>();

  constructor(private readonly fs: MountPointFs = realFs) {}

  /** Makes the missing directories; the returned function gives them back (call it once, when the command ended). */
  acquire(root: string, names: readonly string[], exists: (absolute: string) => boolean): () => void {
    const held: string[] = [];
    for (const name of names) {
      const absolute = path.join(root, name);
      const users = this.made.get(absolute);
      if (users !== undefined) {
        this.made.set(absolute, users + 1);
        held.push(absolute);
        continue;
      }
      if (exists(absolute)) continue;
      try {
        this.fs.mkdir(absolute);
      } catch {
        // A read-only repository (or a file by that name): the command cannot create it either.
        continue;
      }
      this.made.set(absolute, 1);
      held.push(absolute);
    }
    return () => {
      for (const absolute of held) {
        const users = (this.made.get(absolute) ?? 1) - 1;
        if (users > 0) {
          this.made.set(absolute, users);
          continue;
        }
        this.made.delete(absolute);
        try {
          this.fs.rmdir(absolute);
        } catch {
          // Not empty (someone outside the sandbox put files there) or gone: leave it.
        }
      }
    };
  }
}
