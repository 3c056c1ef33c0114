// Whether commands can run inside bubblewrap on this machine, and when they
// cannot, why and what the user can do about it. `doctor` prints this, the
// UI shows UNSANDBOXED from it, and the sandbox asks it before the first command.
import { readFileSync } from 'node:fs';
import { findExecutable } from '../processes/find-executable.js';
import { runCommand } from '../processes/run-command.js';
import { isolationArgs } from './mounts.js';
import { seccompFilter } from './seccomp.js';

export interface SandboxProbe {
  available: boolean;
  /** Where bwrap was found. */
  bwrap?: string;
  /** Why commands cannot be sandboxed, in one sentence. */
  reason?: string;
  /** What the user can do about it. */
  fix?: string;
  /** When available: a protection missing on this machine (e.g. no seccomp filter for its architecture). */
  warning?: string;
}

export interface ProbeOptions {
  env?: NodeJS.ProcessEnv;
  /** The repository: a `bwrap` on a PATH entry inside it is the repository's, never run. */
  outside?: string;
  platform?: NodeJS.Platform;
  /** Reads a kernel setting under /proc/sys (injected for tests). */
  readSysctl?: (name: string) => string | undefined;
  /** Node's name for the processor architecture (injected for tests). */
  arch?: string;
}

const NO_SANDBOX_NOTE =
  'Until then every command asks for approval; --no-sandbox runs them unsandboxed by your explicit choice.';

/** The isolation a real command gets (its seccomp filter too), and its private /tmp, around `true`. */
const probeArgs = (seccomp: boolean): string[] => [...isolationArgs(seccomp), '--tmpfs', '/tmp', '--', 'true'];

export async function probeSandbox(options: ProbeOptions = {}): Promise<SandboxProbe> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  if (platform !== 'linux') {
    return {
      available: false,
      reason: `The sandbox uses Linux namespaces (bubblewrap), which ${platform} does not have.`,
      fix: NO_SANDBOX_NOTE,
    };
  }
  const bwrap = findExecutable('bwrap', env, options.outside);
  if (!bwrap) {
    return {
      available: false,
      reason: 'bubblewrap (bwrap) is not installed.',
      fix:
        'Install it: sudo apt install bubblewrap (Debian, Ubuntu), sudo dnf install bubblewrap (Fedora), ' +
        `sudo pacman -S bubblewrap (Arch). ${NO_SANDBOX_NOTE}`,
    };
  }
  const arch = options.arch ?? process.arch;
  const filter = seccompFilter(arch);
  let stderr: string;
  try {
    const outcome = await runCommand({
      argv: [bwrap, ...probeArgs(filter !== undefined)],
      cwd: '/',
      env: { PATH: env.PATH ?? '/usr/bin:/bin' },
      timeoutMs: 10_000,
      signal: new AbortController().signal,
      ...(filter ? { fd3: filter } : {}),
    });
    if (outcome.exitCode === 0) {
      if (filter) return { available: true, bwrap };
      return { available: true, bwrap, warning: noFilterWarning(arch) };
    }
    stderr = outcome.stderr.trim() || `bwrap exited with ${outcome.exitCode ?? outcome.signal}`;
  } catch (error) {
    stderr = (error as Error).message;
  }
  return { available: false, bwrap, ...explainBwrapFailure(stderr, options.readSysctl ?? readSysctl) };
}

/** Said where the sandbox runs without its seccomp filter. */
export function noFilterWarning(arch: string): string {
  return (
    `the sandbox has no seccomp filter for ${arch} (only x64 and arm64): commands can connect to ` +
    "the host's unix sockets (docker, ssh-agent) that are on the file system they see"
  );
}

/** Turns bwrap's complaint and the kernel's settings into a reason and a fix. */
export function explainBwrapFailure(
  stderr: string,
  sysctl: (name: string) => string | undefined,
): { reason: string; fix: string } {
  const said = stderr.split('\n')[0]!.trim();
  if (sysctl('kernel/apparmor_restrict_unprivileged_userns') === '1') {
    return {
      reason: `AppArmor stops bubblewrap from creating the namespaces it needs (bwrap said: ${said}).`,
      fix:
        'Give bwrap an AppArmor profile that allows user namespaces: write ' +
        '"abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile bwrap /usr/bin/bwrap flags=(unconfined) {\\n  userns,\\n}" ' +
        'to /etc/apparmor.d/bwrap and run sudo apparmor_parser -r /etc/apparmor.d/bwrap ' +
        `(or, for the whole system, sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0). ${NO_SANDBOX_NOTE}`,
    };
  }
  if (sysctl('kernel/unprivileged_userns_clone') === '0') {
    return {
      reason: `The kernel does not let ordinary users create namespaces (bwrap said: ${said}).`,
      fix: `Allow it: sudo sysctl -w kernel.unprivileged_userns_clone=1. ${NO_SANDBOX_NOTE}`,
    };
  }
  if (sysctl('user/max_user_namespaces') === '0') {
    return {
      reason: `User namespaces are switched off (user.max_user_namespaces is 0; bwrap said: ${said}).`,
      fix: `Allow them: sudo sysctl -w user.max_user_namespaces=15000. ${NO_SANDBOX_NOTE}`,
    };
  }
  return {
    reason: `bubblewrap cannot create its namespaces here (bwrap said: ${said}); inside a container this is usually the container's seccomp or AppArmor profile.`,
    fix:
      'Run the agent outside the container, or start the container with ' +
      `--security-opt seccomp=unconfined --security-opt apparmor=unconfined. ${NO_SANDBOX_NOTE}`,
  };
}

function readSysctl(name: string): string | undefined {
  try {
    return readFileSync(`/proc/sys/${name}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
