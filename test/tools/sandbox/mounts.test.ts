// What the bubblewrap command line shows a command, for layouts this
// machine may not have (a repository under the home, toolchains there).
import { describe, expect, it } from 'vitest';
import { bwrapArgs, type SandboxLayout } from '../../../tools/sandbox/mounts.js';

function layout(root: string, paths: string[], pathDirs: string[] = []): SandboxLayout {
  const existing = new Set(paths);
  return { root, home: '/home/ada', pathDirs, exists: (p) => existing.has(p) };
}

/** The (option, path) pairs in order, e.g. ['--tmpfs /home', '--bind /home/ada/proj']. */
function mounts(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--bind' || arg === '--ro-bind') out.push(`${arg} ${args[i + 2]}`);
    if (arg === '--tmpfs' || arg === '--dir' || arg === '--seccomp') out.push(`${arg} ${args[i + 1]}`);
  }
  return out;
}

describe('the bubblewrap layout', () => {
  it('hides the home, shows its toolchains read-only, then the repository read-write and .git read-only', () => {
    const args = bwrapArgs(
      layout(
        '/home/ada/proj',
        [
          '/home',
          '/home/ada',
          '/home/ada/.rustup',
          '/home/ada/.cargo/bin',
          '/home/ada/.cargo/credentials.toml',
          '/home/ada/.ssh',
          '/home/ada/bin',
          '/home/ada/proj/.git',
          '/proc/sys',
        ],
        ['/home/ada/bin', '/home/ada', '/usr/bin'],
      ),
      '/home/ada/proj/src',
    );
    expect(mounts(args)).toEqual([
      '--ro-bind /',
      '--ro-bind /proc/sys',
      '--tmpfs /tmp',
      '--tmpfs /home',
      '--dir /home/ada',
      '--ro-bind /home/ada/.cargo/bin',
      '--ro-bind /home/ada/.rustup',
      '--ro-bind /home/ada/bin',
      '--bind /home/ada/proj',
      '--ro-bind /home/ada/proj/.git',
    ]);
    expect(args.slice(0, 5)).toEqual(['--die-with-parent', '--new-session', '--unshare-all', '--cap-drop', 'ALL']);
    expect(args.slice(-2)).toEqual(['--chdir', '/home/ada/proj/src']);
  });

  it('keeps the approval rules (.gptoss-agent) read-only and adds scratch directories', () => {
    const args = bwrapArgs(
      {
        ...layout('/srv/proj', ['/srv/proj/.gptoss-agent', '/root']),
        home: '/root',
        writable: ['/tmp/gptoss-tests-1'],
      },
      '/srv/proj',
    );
    expect(mounts(args)).toEqual([
      '--ro-bind /',
      '--tmpfs /tmp',
      '--tmpfs /root',
      '--dir /root',
      '--bind /srv/proj',
      '--ro-bind /srv/proj/.gptoss-agent',
      '--bind /tmp/gptoss-tests-1',
    ]);
  });

  it('shows the directories the user chose read-only, after hiding /tmp and the home', () => {
    const args = bwrapArgs(
      {
        ...layout('/srv/proj', ['/tmp/toolchain', '/home', '/home/ada']),
        readOnly: ['/tmp/toolchain', '/tmp/missing'],
      },
      '/srv/proj',
    );
    expect(mounts(args)).toEqual([
      '--ro-bind /',
      '--tmpfs /tmp',
      '--tmpfs /home',
      '--dir /home/ada',
      '--ro-bind /tmp/toolchain',
      '--bind /srv/proj',
    ]);
  });

  it('shows a PATH directory of the home whose name starts with two dots', () => {
    const args = bwrapArgs(
      layout('/srv/proj', ['/home', '/home/ada', '/home/ada/..tools'], ['/home/ada/..tools', '/home/..other']),
      '/srv/proj',
    );
    expect(mounts(args)).toEqual([
      '--ro-bind /',
      '--tmpfs /tmp',
      '--tmpfs /home',
      '--dir /home/ada',
      '--ro-bind /home/ada/..tools',
      '--bind /srv/proj',
    ]);
  });

  it('does not hide a home the repository contains', () => {
    const args = bwrapArgs(layout('/', ['/home', '/home/ada']), '/');
    expect(mounts(args)).toEqual(['--ro-bind /', '--tmpfs /tmp', '--bind /']);
  });

  it("hides the host's credential files behind empty ones, and reads the seccomp filter first", () => {
    const args = bwrapArgs(
      {
        ...layout('/srv/proj', [
          '/etc/shadow',
          '/etc/ssh/ssh_host_ed25519_key',
          '/etc/ssl/private',
          '/srv/proj/.gptoss-agent',
        ]),
        seccomp: true,
      },
      '/srv/proj',
    );
    expect(mounts(args)).toEqual([
      '--seccomp 3',
      '--ro-bind /',
      '--ro-bind /etc/shadow',
      '--ro-bind /etc/ssh/ssh_host_ed25519_key',
      '--tmpfs /etc/ssl/private',
      '--tmpfs /tmp',
      '--bind /srv/proj',
      '--ro-bind /srv/proj/.gptoss-agent',
    ]);
    expect(args.slice(args.indexOf('/etc/shadow') - 2, args.indexOf('/etc/shadow') + 1)).toEqual([
      '--ro-bind',
      '/dev/null',
      '/etc/shadow',
    ]);
  });

  it('hides only the host secrets this user could open', () => {
    const args = bwrapArgs(
      {
        ...layout('/srv/proj', ['/etc/shadow', '/etc/ssl/private', '/etc/wireguard']),
        canOpen: (p) => p === '/etc/wireguard',
      },
      '/srv/proj',
    );
    expect(mounts(args)).toEqual(['--ro-bind /', '--tmpfs /etc/wireguard', '--tmpfs /tmp', '--bind /srv/proj']);
  });
});
