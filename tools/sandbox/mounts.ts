// The bubblewrap command line for one command: what the sandboxed process
// sees, can write and can reach. A pure function of the layout, so it can be
// read and tested on its own.
//
// - the whole file system read-only; the repository read-write, but its .git
//   and .gptoss-agent (the approval rules) read-only; .gptoss-agent even
//   where the repository has none (the sandbox makes the mount point for the
//   command's time, mount-points.ts), .git only where it exists, so
//   that `git init` works in a directory that is not yet a repository;
// - the user's home (and /home, /root) replaced by an empty directory, with
//   only the toolchains that live there (rustup, pyenv, nvm, …) shown again,
//   read-only, and never the files that hold credentials;
// - the host's credential files (/etc/shadow, ssh host keys, saved Wi-Fi and
//   VPN secrets) replaced by empty ones: as root the command could read them;
// - a private /tmp and /run (no host sockets such as docker.sock), a minimal
//   /dev, a new /proc whose kernel settings are read-only;
// - every namespace new (no network), all capabilities dropped, a new
//   session (no typing into the user's terminal), killed with its parent;
//   the seccomp filter (seccomp.ts) read from file descriptor 3.
import path from 'node:path';
import { isInside } from '../workspace/workspace.js';

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
  /** Whether bubblewrap gets the seccomp filter on file descriptor 3. */
  seccomp?: boolean;
  /** Injected for tests. */
  exists(absolute: string): boolean;
  /**
   * Whether this process may open the path (read a file, enter a directory): only host secrets the command
   * could read need hiding, and every mount costs bubblewrap a pass over the mount table. Default: exists.
   */
  canOpen?(absolute: string): boolean;
}

/** Host files that hold secrets root could read: replaced by an empty file. */
export const HOST_SECRET_FILES = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/security/opasswd',
  '/etc/krb5.keytab',
  '/etc/ssh/ssh_host_rsa_key',
  '/etc/ssh/ssh_host_ecdsa_key',
  '/etc/ssh/ssh_host_ed25519_key',
  '/etc/ssh/ssh_host_dsa_key',
];

/** Host directories that hold secrets: replaced by an empty one. */
export const HOST_SECRET_DIRS = [
  '/etc/ssl/private',
  '/etc/NetworkManager/system-connections',
  '/etc/wireguard',
  '/etc/ipsec.d/private',
  '/var/lib/sss/secrets',
];

/** The directories inside the repository the command may read but never write, whether or not they exist. */
export const PROTECTED_NAMES = ['.gptoss-agent'] as const;

/** Protected only where they exist: a command may create them (`git init` in a directory that is not a repository). */
export const PROTECTED_WHEN_PRESENT = ['.git'] as const;

/** The file descriptor bubblewrap reads the seccomp filter from. */
export const SECCOMP_FD = 3;

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

/** The isolation, with the seccomp filter where there is one. */
export function isolationArgs(seccomp: boolean): string[] {
  return seccomp ? ['--seccomp', String(SECCOMP_FD), ...ISOLATION_ARGS] : [...ISOLATION_ARGS];
}

export function bwrapArgs(layout: SandboxLayout, cwd: string): string[] {
  const { root, home, exists } = layout;
  const args = isolationArgs(layout.seccomp ?? false);
  for (const dir of PROC_READ_ONLY) if (exists(dir)) args.push('--ro-bind', dir, dir);
  const canOpen = layout.canOpen ?? exists;
  for (const file of HOST_SECRET_FILES) if (canOpen(file)) args.push('--ro-bind', '/dev/null', file);
  for (const dir of HOST_SECRET_DIRS) if (canOpen(dir)) args.push('--tmpfs', dir, '--remount-ro', dir);
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
  // The caller makes sure PROTECTED_NAMES exist (mount-points.ts), so the bind never fails.
  for (const name of [...PROTECTED_WHEN_PRESENT, ...PROTECTED_NAMES]) {
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
