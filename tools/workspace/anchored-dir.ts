// A directory inside the workspace, opened for writing so that what is
// written lands in that very directory even if its path is changed meanwhile
// (a component swapped for a symbolic link after the guard checked the name).
//
// On Linux each component is opened from the root with O_NOFOLLOW, one open
// directory at a time, and files are then named as /proc/self/fd/<fd>/<name>:
// the kernel resolves that to the opened directory itself, never again by its
// path, so rename, unlink and open through it cannot be redirected.
// Elsewhere (no /proc) the best available check is made: every component is
// checked with lstat and the real path of the directory must be inside the
// root just before use; a swap between that check and the write is not caught.
import { constants, existsSync, realpathSync } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../tool-error.js';

export class RedirectedWriteError extends ToolError {
  override name = 'RedirectedWriteError';
}

export interface AnchoredDir {
  /** A path that names `name` inside this directory and nowhere else. */
  entry(name: string): string;
  /**
   * A path that names this directory itself, for a child process's working
   * directory: on Linux /proc/<our pid>/fd/<fd>, which the kernel resolves to
   * the directory held open, whatever its name leads to by then.
   */
  here(): string;
  close(): Promise<void>;
}

const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** Whether directories can be held open and named through /proc (Linux). */
export const anchorsByDescriptor = (): boolean => process.platform === 'linux' && existsSync('/proc/self/fd');

/**
 * Opens `relativeDir` (forward or platform slashes, '' or '.' for the root) below
 * `root`, refusing any component that is not a real directory. With `create`,
 * missing components are made (and reported through `created`, outermost first).
 */
export async function openAnchoredDir(
  root: string,
  relativeDir: string,
  options: {
    create?: boolean;
    created?: (absolute: string) => void;
    /** Which way (tests try both); by default descriptors wherever the platform has them. */
    byDescriptor?: boolean;
  } = {},
): Promise<AnchoredDir> {
  const parts = relativeDir.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw redirected(path.join(root, relativeDir), root);
  return (options.byDescriptor ?? anchorsByDescriptor())
    ? openByDescriptor(root, parts, options)
    : openByPath(root, parts, options);
}

async function openByDescriptor(
  root: string,
  parts: string[],
  options: { create?: boolean; created?: (absolute: string) => void },
): Promise<AnchoredDir> {
  // The root itself is where the user started the agent: it is trusted as it is.
  let handle: FileHandle = await open(root, constants.O_RDONLY | constants.O_DIRECTORY);
  let walked = root;
  try {
    for (const part of parts) {
      const entry = `/proc/self/fd/${handle.fd}/${part}`;
      walked = path.join(walked, part);
      let next: FileHandle;
      try {
        next = await open(entry, DIR_FLAGS);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && options.create) {
          await mkdir(entry, 0o777).catch((made: NodeJS.ErrnoException) => {
            if (made.code !== 'EEXIST') throw made;
          });
          options.created?.(walked);
          next = await open(entry, DIR_FLAGS).catch((again: NodeJS.ErrnoException) => {
            throw again.code === 'ELOOP' || again.code === 'ENOTDIR' ? redirected(walked, root) : again;
          });
        } else if (code === 'ELOOP' || code === 'ENOTDIR') {
          throw redirected(walked, root);
        } else {
          throw error;
        }
      }
      await handle.close();
      handle = next;
    }
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  const held = handle;
  return {
    entry: (name) => `/proc/self/fd/${held.fd}/${name}`,
    // Our pid, not "self": the child resolves it, and its own descriptor table may differ by then.
    here: () => `/proc/${process.pid}/fd/${held.fd}`,
    close: () => held.close(),
  };
}

async function openByPath(
  root: string,
  parts: string[],
  options: { create?: boolean; created?: (absolute: string) => void },
): Promise<AnchoredDir> {
  let walked = root;
  for (const part of parts) {
    walked = path.join(walked, part);
    const stats = await lstat(walked).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' && options.create) return undefined;
      throw error;
    });
    if (!stats) {
      await mkdir(walked);
      options.created?.(walked);
    } else if (!stats.isDirectory()) {
      throw redirected(walked, root);
    }
  }
  const dir = walked;
  return {
    entry: (name) => {
      // Checked again at each use, as late as this platform allows.
      const real = realpathInside(dir, root);
      return path.join(real, name);
    },
    here: () => realpathInside(dir, root),
    close: async () => {},
  };
}

/** `dir` itself when its real path is still that (every component below the real root a directory). */
function realpathInside(dir: string, root: string): string {
  // Synchronous on purpose: none of this process's other work runs between the check and the caller's step.
  let real: string | undefined;
  try {
    real = realpathSync(dir);
  } catch {
    real = undefined;
  }
  if (real !== dir) throw redirected(dir, root);
  return real;
}

function redirected(absolute: string, root: string): RedirectedWriteError {
  const shown = path.relative(root, absolute).split(path.sep).join('/') || '.';
  return new RedirectedWriteError(
    `${shown} is no longer a directory inside the repository (it was replaced, e.g. by a symbolic link, ` +
      'while the change was being written). Nothing was written there. Check the path with list_files ' +
      'and make the change again.',
  );
}
