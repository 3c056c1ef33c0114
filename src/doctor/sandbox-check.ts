// Whether commands can run in the bubblewrap sandbox, told the doctor's way:
// the sandbox module's own probe decides, so doctor and the agent never disagree.
import { probeSandbox } from '../../tools/sandbox/probe.js';
import type { CheckResult } from './check.js';

export async function checkSandbox(
  env: NodeJS.ProcessEnv,
  platform = process.platform,
  arch = process.arch,
  /** The repository doctor runs in: a bwrap inside it is not probed (run). */
  root?: string,
): Promise<CheckResult> {
  const probe = await probeSandbox({ env, platform, arch, ...(root ? { outside: root } : {}) });
  if (probe.available && probe.warning) {
    return { label: 'sandbox', status: 'warn', detail: `bubblewrap works (${probe.bwrap}), but ${probe.warning}` };
  }
  if (probe.available) return { label: 'sandbox', status: 'ok', detail: `bubblewrap works (${probe.bwrap})` };
  return {
    label: 'sandbox',
    status: 'warn',
    detail: probe.reason ?? 'commands cannot run sandboxed',
    ...(probe.fix ? { fix: probe.fix } : {}),
  };
}
