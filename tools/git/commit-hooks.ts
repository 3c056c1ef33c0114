// Which of the repository's commit hooks exist. They are never run outside
// the sandbox (a hook is a program the repository controls); the commit's
// result names them so the user can run them knowingly.
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from './run-git.js';

/** The hooks `git commit` would have run, in the order it runs them. */
const COMMIT_HOOKS = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'reference-transaction'];

export async function presentCommitHooks(root: string, signal: AbortSignal): Promise<string[]> {
  const dir = await hooksDirectory(root, signal);
  const present: string[] = [];
  for (const name of COMMIT_HOOKS) {
    if (
      await access(path.join(dir, name), constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      present.push(name);
  }
  return present;
}

/**
 * Where git looks for hooks: core.hooksPath as the repository's or the user's config sets it
 * (the host overrides, scope "command", left out), else the hooks directory of .git.
 */
export async function hooksDirectory(root: string, signal?: AbortSignal): Promise<string> {
  const options = signal ? { signal } : {};
  const configured = await runGit(root, ['config', '--show-scope', '--get-all', 'core.hooksPath'], options).then(
    ({ text }) =>
      text
        .split('\n')
        .map((line) => line.split('\t'))
        .filter(([scope, value]) => scope !== 'command' && value)
        .map(([, value]) => value!)
        .at(-1),
    () => undefined,
  );
  if (configured) return path.resolve(root, configured.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
  const common = (await runGit(root, ['rev-parse', '--git-common-dir'], options)).text.trim();
  return path.join(path.resolve(root, common), 'hooks');
}
