// ripgrep (fast search; git grep is the fallback) and git (history, diffs).
import { findExecutable } from '../../tools/processes/find-executable.js';
import { findRipgrep, INSTALL_RIPGREP_HINT, type RipgrepLocator } from '../../tools/grep/ripgrep.js';
import type { CheckResult } from './check.js';
import { runCommand } from './run-command.js';

export async function checkRipgrep(locate: RipgrepLocator = findRipgrep): Promise<CheckResult> {
  const rg = await locate();
  if (!rg) {
    return {
      label: 'ripgrep',
      status: 'warn',
      detail: 'not found; grep falls back to git grep',
      fix: INSTALL_RIPGREP_HINT,
    };
  }
  const version = await runCommand(rg, ['--version']);
  if (!version.ok) {
    return {
      label: 'ripgrep',
      status: 'warn',
      detail: `${rg} does not run: ${version.problem}`,
      fix: INSTALL_RIPGREP_HINT,
    };
  }
  return { label: 'ripgrep', status: 'ok', detail: `${version.stdout.split('\n')[0]} (${rg})` };
}

export async function checkGit(root?: string, env: NodeJS.ProcessEnv = process.env): Promise<CheckResult> {
  // By its absolute path, never from the repository: a bare name would let a relative PATH entry pick its own `git`.
  const git = findExecutable('git', env, root);
  const version = git
    ? await runCommand(git, ['--version'])
    : { ok: false, stdout: '', problem: 'git is not installed' };
  if (version.ok) return { label: 'git', status: 'ok', detail: version.stdout.trim() };
  return {
    label: 'git',
    status: 'warn',
    detail: `${version.problem}; the agent works, but cannot show history or track its changes with git`,
    fix: 'Install git: https://git-scm.com/downloads (e.g. sudo apt install git, brew install git).',
  };
}
