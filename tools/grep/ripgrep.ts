// Finding ripgrep and the arguments every search shares. The binary comes
// from @vscode/ripgrep when its platform package is installed, else from a
// system `rg` on PATH. Tools take the lookup as a parameter so tests can
// force the fallbacks that users without ripgrep get.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { findExecutable, hostPathDirs } from '../processes/find-executable.js';
import { spawnLines, type SpawnLinesOptions, type SpawnLinesResult } from '../processes/spawn-lines.js';

/** Resolves to the path of an `rg` binary, or undefined when there is none. */
export type RipgrepLocator = () => Promise<string | undefined>;

export const findRipgrep: RipgrepLocator = async () => {
  try {
    // Throws when the platform package (which holds the binary) was not installed.
    const { rgPath } = await import('@vscode/ripgrep');
    if (rgPath && existsSync(rgPath)) return rgPath;
  } catch {
    // Fall through to PATH.
  }
  return findExecutable('rg');
};

/** What a user without ripgrep or git can do about it. */
export const INSTALL_RIPGREP_HINT =
  'Install ripgrep (https://github.com/BurntSushi/ripgrep#installation, e.g. `brew install ripgrep` or ' +
  '`apt install ripgrep`) so that `rg` is on PATH, or work inside a git repository.';

/**
 * Which files a walk sees: hidden files yes, `.git` never; `.gitignore` rules
 * apply. Outside a git repository ripgrep would ignore `.gitignore` files, so
 * they are turned on explicitly (but not those above the workspace root), and
 * node_modules is skipped as the plain walk does.
 */
export function walkArgs(isGitRepo: boolean): string[] {
  const args = ['--hidden', '--glob', '!.git'];
  if (!isGitRepo) args.push('--no-require-git', '--no-ignore-parent', '--glob', '!node_modules');
  return args;
}

/**
 * Arguments that narrow a walk to files whose name matches `nameGlob`.
 * A file type is used rather than `--glob`, because ripgrep lets a `--glob`
 * match override `.gitignore`, and a type does not.
 */
export function nameFilterArgs(nameGlob: string | undefined): string[] {
  return nameGlob === undefined ? [] : ['--type-add', `agentglob:${nameGlob}`, '--type', 'agentglob'];
}

/**
 * Runs ripgrep without the user's config file (RIPGREP_CONFIG_PATH), streaming its output.
 * `root` is the repository (default `cwd`, which may instead be a directory held open inside it).
 */
export function runRipgrep(
  rg: string,
  args: readonly string[],
  { root, ...options }: SpawnLinesOptions & { root?: string },
): Promise<SpawnLinesResult> {
  // Found on a PATH entry inside the repository searched: the repository's program, not ripgrep.
  if (hostPathDirs(path.dirname(rg), root ?? options.cwd).length === 0) {
    return Promise.reject(
      new Error(
        `The rg found on PATH (${rg}) is inside the repository, so it is not run. ${INSTALL_RIPGREP_HINT.replace(', or work inside a git repository', '')}`,
      ),
    );
  }
  return spawnLines(rg, ['--no-config', ...args], options);
}

/** ripgrep's error output as one short message, without its "rg: " prefixes. */
export function ripgrepMessage(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.replace(/^rg: /, '').trimEnd())
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/** A path as rg prints it ("./x" under ".", native separators) → relative to the root, forward slashes. */
export function ripgrepPath(printed: string): string {
  const normalized = path.sep === '/' ? printed : printed.split(path.sep).join('/');
  return normalized.startsWith('./') ? normalized.slice(2) : normalized;
}
