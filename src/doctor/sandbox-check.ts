// Whether commands can run in the bubblewrap sandbox: bwrap must be
// installed and allowed to create user namespaces. The probe runs `true` in
// the same kind of sandbox the agent's commands get (no network, no
// capabilities, a read-only view of the system).
import { findExecutable } from '../../tools/find-executable.js';
import type { CheckResult } from './check.js';
import { runCommand } from './run-command.js';

export const BWRAP_PROBE_ARGS = [
  '--ro-bind',
  '/',
  '/',
  '--dev',
  '/dev',
  '--proc',
  '/proc',
  '--unshare-all',
  '--cap-drop',
  'ALL',
  '--die-with-parent',
  'true',
];

export async function checkSandbox(env: NodeJS.ProcessEnv, platform = process.platform): Promise<CheckResult> {
  const label = 'sandbox';
  if (platform !== 'linux') {
    return {
      label,
      status: 'warn',
      detail: `the bubblewrap sandbox is Linux-only; on ${platform} every command asks before it runs`,
    };
  }
  const bwrap = findExecutable('bwrap', env);
  if (!bwrap) {
    return {
      label,
      status: 'warn',
      detail: 'bubblewrap (bwrap) is not installed, so commands cannot run sandboxed',
      fix: 'Install it: sudo apt install bubblewrap (Debian, Ubuntu), sudo dnf install bubblewrap (Fedora), sudo pacman -S bubblewrap (Arch).',
    };
  }
  const probe = await runCommand(bwrap, BWRAP_PROBE_ARGS);
  if (probe.ok) return { label, status: 'ok', detail: `bubblewrap works (${bwrap})` };
  const said = probe.stderr.trim().split('\n').at(-1) || probe.problem || 'it failed';
  return {
    label,
    status: 'warn',
    detail: `bubblewrap is installed but cannot create its sandbox: ${said}`,
    fix: namespaceFix(said),
  };
}

/** What lets unprivileged users create namespaces on the common distributions. */
function namespaceFix(message: string): string {
  const restricted = /permission|not permitted|namespace|uid map/i.test(message);
  return restricted
    ? 'Allow unprivileged user namespaces: on Ubuntu 23.10 and later, ' +
        'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (or give bwrap an AppArmor profile); ' +
        'on Debian and others, sudo sysctl -w kernel.unprivileged_userns_clone=1 and check that ' +
        'user.max_user_namespaces is above 0. Inside a container, run it with --privileged or use --no-sandbox.'
    : 'Run the probe by hand to see why: bwrap ' + BWRAP_PROBE_ARGS.join(' ');
}
