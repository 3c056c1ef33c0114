// Looks a program up on PATH the way a shell would, without running it.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The absolute path of `name` on PATH, or undefined when it is not there. Relative entries
 * ("." or "bin", and the empty one a shell reads as ".") are skipped: they name the directory
 * the program starts in, which is usually the repository, and a program found there is the
 * repository's, not the user's.
 */
export function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  /** A directory (the repository) whose PATH entries are skipped too: its programs are not the user's. */
  outside?: string,
): string | undefined {
  const dirs = hostPathDirs(env.PATH ?? env.Path ?? '', outside);
  // Windows finds programs by their extensions; elsewhere the name is the file.
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';') : [''];
  for (const dir of dirs) {
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** PATH's absolute entries, without those at or below `outside`. */
export function hostPathDirs(pathValue: string, outside?: string): string[] {
  return pathValue.split(path.delimiter).filter((dir) => path.isAbsolute(dir) && !(outside && within(outside, dir)));
}

function within(parent: string, dir: string): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(dir));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
