// The one guard every path goes through: whatever the model asks for is
// resolved (symlinks included) and must stay inside the workspace root;
// nothing is ever written under a `.git` directory.
import { existsSync, statSync } from 'node:fs';
import { readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../tool-error.js';
import type { ChangeJournal } from '../changes/change-journal.js';
import type { WriteLock } from '../changes/write-lock.js';

export class WorkspaceError extends ToolError {
  override name = 'WorkspaceError';
}

export interface ResolvedPath {
  /** Absolute real path (symlinks resolved as far as the path exists). */
  absolute: string;
  /** Relative to the root, with forward slashes: how the model and user see it. */
  relative: string;
}

export class Workspace {
  private constructor(
    /** Absolute real path of the workspace root (the git top level when there is one). */
    readonly root: string,
    /** Where the user started, inside root. */
    readonly cwd: string,
    readonly isGitRepo: boolean,
    /** Where change sets are noted while they are written (none: a kill may leave them half done). */
    readonly journal?: ChangeJournal,
    /** Keeps other agent processes from writing to the repository at the same time (none: only this process's own checks). */
    readonly writeLock?: WriteLock,
  ) {}

  /** The workspace containing `dir`: its git repository's top level, else `dir` itself. */
  static async open(dir: string, options: { journal?: ChangeJournal; writeLock?: WriteLock } = {}): Promise<Workspace> {
    const cwd = await realpath(path.resolve(dir));
    const gitRoot = findGitRoot(cwd);
    return new Workspace(gitRoot ?? cwd, cwd, gitRoot !== undefined, options.journal, options.writeLock);
  }

  /** Resolve a path the model gave for reading. Relative paths start at the root. */
  resolveForRead(requested: string): Promise<ResolvedPath> {
    return this.resolve(requested, false);
  }

  /** Resolve a path the model gave for writing; `.git` directories are refused too. */
  resolveForWrite(requested: string): Promise<ResolvedPath> {
    return this.resolve(requested, true);
  }

  /** How an absolute path inside the root is shown: relative, forward slashes. */
  relative(absolute: string): string {
    const rel = path.relative(this.root, absolute);
    return rel === '' ? '.' : rel.split(path.sep).join('/');
  }

  private async resolve(requested: string, forWrite: boolean): Promise<ResolvedPath> {
    if (typeof requested !== 'string' || requested.trim() === '') {
      throw new WorkspaceError('The path is empty. Give a path relative to the repository root.');
    }
    if (requested.includes('\0'))
      throw new WorkspaceError(`The path ${JSON.stringify(requested)} contains a NUL byte.`);
    // "~" is an ordinary file name here, never the home directory.
    const lexical = path.resolve(this.root, requested);
    if (!isInside(this.root, lexical)) {
      throw new WorkspaceError(
        `${JSON.stringify(requested)} is outside the repository (${this.root}). ` +
          'Only paths inside it can be read or changed; give a path relative to the repository root.',
      );
    }
    const real = await realpathOfLongestExistingPrefix(lexical);
    if (!isInside(this.root, real)) {
      throw new WorkspaceError(
        `${JSON.stringify(requested)} leads through a symbolic link to ${real}, outside the repository. ` +
          'It cannot be read or changed.',
      );
    }
    const relative = this.relative(real);
    if (forWrite && relative.split('/').includes('.git')) {
      throw new WorkspaceError(
        `${JSON.stringify(requested)} is inside a .git directory; the agent never writes there ` +
          '(use the git tool to see history and state).',
      );
    }
    // The project config holds approval rules: a model that could edit it could grant itself commands.
    if (forWrite && (relative === '.gptoss-agent' || relative.startsWith('.gptoss-agent/'))) {
      throw new WorkspaceError(
        `${JSON.stringify(requested)} is the agent's own project configuration (approval rules); ` +
          'the agent never changes it. Ask the user to edit it.',
      );
    }
    return { absolute: real, relative };
  }
}

/** Whether the absolute path `candidate` is `parent` or below it ("..notes" in it is a name, not a climb). */
export function isInside(parent: string, candidate: string): boolean {
  const rel = path.relative(parent, candidate);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * realpath() of the deepest part that exists, with the missing tail appended.
 * A dangling symlink is followed to where it points, so a file created
 * through it is judged by where it would land.
 */
async function realpathOfLongestExistingPrefix(absolute: string, depth = 0): Promise<string> {
  const tail: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      const real = await realpath(current);
      return tail.length === 0 ? real : path.join(real, ...tail.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const link = await readlink(current).catch(() => undefined);
      if (link !== undefined && depth < 40) {
        const target = path.resolve(path.dirname(current), link);
        return realpathOfLongestExistingPrefix(path.join(target, ...tail.reverse()), depth + 1);
      }
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      tail.push(path.basename(current));
      current = parent;
    }
  }
}

function findGitRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const marker = path.join(dir, '.git');
    if (existsSync(marker) && (statSync(marker).isDirectory() || statSync(marker).isFile())) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
