// When bubblewrap cannot run, the probe says why and what to do, for the
// usual causes: not installed, AppArmor (Ubuntu 23.10+), user namespaces
// switched off, a container, another operating system.
import { describe, expect, it } from 'vitest';
import { explainBwrapFailure, probeSandbox } from '../../../tools/sandbox/probe.js';

const settings = (values: Record<string, string>) => (name: string) => values[name];

describe('the sandbox probe', () => {
  it('finds bubblewrap working here', async () => {
    expect(await probeSandbox()).toMatchObject({ available: true, bwrap: expect.stringMatching(/bwrap$/) });
  });

  it('runs the probe with the seccomp filter, and warns where this architecture has none', async () => {
    expect(await probeSandbox()).not.toHaveProperty('warning');
    const probe = await probeSandbox({ arch: 'riscv64' });
    expect(probe).toMatchObject({ available: true, warning: expect.stringMatching(/no seccomp filter for riscv64/) });
  });

  it('says when bubblewrap is not installed and how to install it', async () => {
    const probe = await probeSandbox({ env: { PATH: '/nonexistent' } });
    expect(probe).toMatchObject({ available: false, reason: 'bubblewrap (bwrap) is not installed.' });
    expect(probe.fix).toMatch(/sudo apt install bubblewrap/);
    expect(probe.fix).toMatch(/--no-sandbox/);
  });

  it('says when the system has no Linux namespaces', async () => {
    const probe = await probeSandbox({ platform: 'darwin' });
    expect(probe).toMatchObject({ available: false, reason: expect.stringMatching(/darwin/) });
  });

  it.each([
    [
      { 'kernel/apparmor_restrict_unprivileged_userns': '1' },
      /AppArmor/,
      /apparmor_parser -r \/etc\/apparmor\.d\/bwrap/,
    ],
    [{ 'kernel/unprivileged_userns_clone': '0' }, /ordinary users/, /kernel\.unprivileged_userns_clone=1/],
    [{ 'user/max_user_namespaces': '0' }, /max_user_namespaces is 0/, /user\.max_user_namespaces=15000/],
    [{}, /container/, /seccomp=unconfined/],
  ])('explains a failure with settings %j', (values, reason, fix) => {
    const explained = explainBwrapFailure('bwrap: No permissions to creating new namespace\n', settings(values));
    expect(explained.reason).toMatch(reason);
    expect(explained.reason).toContain('bwrap said: bwrap: No permissions to creating new namespace');
    expect(explained.fix).toMatch(fix);
  });
});
