// The bubblewrap command line for one command: what the sandboxed process
// sees, can write and can reach. A pure function of the layout, so it can be
// read and tested on its own.
//
// - the whole file system read-only; the repository read-write, but its .git
//   and .gptoss-agent (the approval rules) read-only;
// - the user's home (and /home, /root) replaced by an empty directory, with
//   only the toolchains that live there (rustup, pyenv, nvm, …) shown again,
//   read-only, and never the files that hold credentials;
// - a private /tmp and /run (no host sockets such as docker.sock), a minimal
//   /dev, a new /proc whose kernel settings are read-only;
// - every namespace new (no network), all capabilities dropped, a new
//   session (no typing into the user's terminal), killed with its parent.
import path from 'node:path';
import { isInside } from './workspace.js';

export interface SandboxLayout {
  /** The repository root (a real path). */
  root: string;
  /** The user's home directory (a real path). */
  home: string;
  /** The PATH the command gets: toolchain directories on it inside the home stay visible. */
  pathDirs: readonly string[];
  /** Extra directories the command may write (a scratch directory for test reports). */
  writable?: readonly string[];
  /** Directories the user chose to show read-only although they are hidden (config `sandboxReadOnly`). */
  readOnly?: readonly string[];
  /** Injected for tests. */
  exists(absolute: string): boolean;
}

/** Toolchain directories under the home shown read-only; credential files beside them are not. */
export const HOME_TOOLCHAINS = [
  '.cargo/bin',
  '.cargo/registry',
  '.cargo/git',
  '.rustup',
  '.pyenv',
  '.local/bin',
  '.local/lib',
  '.nvm',
  '.volta',
  '.local/share/fnm',
  '.local/share/pnpm',
  '.bun/bin',
  '.deno/bin',
  'go/bin',
  'go/pkg/mod',
  '.m2/repository',
  '.gradle/caches',
  '.gradle/wrapper',
  '.sdkman/candidates',
];

/** Kernel interfaces under /proc that host root could write even without capabilities. */
const PROC_READ_ONLY = ['/proc/sys', '/proc/sysrq-trigger', '/proc/irq', '/proc/bus', '/proc/fs'];

/**
 * The isolation every command starts from, before any directory is shown or
 * hidden; the probe runs `true` under exactly these, so that it fails where
 * real commands would.
 */
export const ISOLATION_ARGS: readonly string[] = [
  '--die-with-parent',
  '--new-session',
  '--unshare-all',
  '--cap-drop',
  'ALL',
  '--ro-bind',
  '/',
  '/',
  '--dev',
  '/dev',
  '--proc',
  '/proc',
];

export function bwrapArgs(layout: SandboxLayout, cwd: string): string[] {
  const { root, home, exists } = layout;
  const args = [...ISOLATION_ARGS];
  for (const dir of PROC_READ_ONLY) if (exists(dir)) args.push('--ro-bind', dir, dir);
  args.push('--tmpfs', '/tmp');
  if (exists('/run')) args.push('--tmpfs', '/run');

  const hidden = hiddenDirs(layout);
  for (const dir of hidden) args.push('--tmpfs', dir);
  if (hidden.some((dir) => isInside(dir, home))) {
    args.push('--dir', home);
    for (const dir of visibleToolchains(layout)) args.push('--ro-bind', dir, dir);
  }

  for (const dir of layout.readOnly ?? []) if (exists(dir)) args.push('--ro-bind', dir, dir);
  args.push('--bind', root, root);
  for (const name of ['.git', '.gptoss-agent']) {
    const protectedPath = path.join(root, name);
    if (exists(protectedPath)) args.push('--ro-bind', protectedPath, protectedPath);
  }
  for (const dir of layout.writable ?? []) args.push('--bind', dir, dir);
  args.push('--chdir', cwd);
  return args;
}

/** The home and the other users' homes, unless the repository is one of them (or contains one). */
function hiddenDirs({ root, home, exists }: SandboxLayout): string[] {
  const candidates = [...new Set([home, '/home', '/root'])].filter(
    (dir) => dir !== '/' && exists(dir) && !isInside(root, dir),
  );
  // A directory inside another hidden one is hidden already.
  return candidates.filter((dir) => !candidates.some((other) => other !== dir && isInside(other, dir)));
}

function visibleToolchains({ home, pathDirs, exists }: SandboxLayout): string[] {
  const dirs = HOME_TOOLCHAINS.map((relative) => path.join(home, relative));
  // Directories on PATH inside the home (e.g. ~/bin), but never the home itself.
  for (const dir of pathDirs) if (dir !== home && isInside(home, dir)) dirs.push(path.normalize(dir));
  const unique = [...new Set(dirs)].filter((dir) => exists(dir));
  return unique.filter((dir) => !unique.some((other) => other !== dir && isInside(other, dir)));
}
