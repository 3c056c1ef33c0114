// The branch and whether the work tree is dirty, for the status line: one
// `git status` in the background, read only as far as needed, without taking
// git's index lock (the user's own git commands must never wait for ours),
// and with the repository's config kept from running anything (host-git.ts).
import { spawn } from 'node:child_process';
import { prepareHostGit } from '../../tools/git/host-git.js';
import type { GitInfo } from '../ui/session.js';

export async function readGitStatus(root: string): Promise<GitInfo | undefined> {
  const git = await prepareHostGit(root, ['status', '--porcelain=v1', '--branch', '--untracked-files=normal']).catch(
    () => undefined,
  );
  if (!git) return undefined;
  return new Promise((resolve) => {
    const child = spawn(git.program, git.argv, { cwd: root, env: git.env, stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    let settled = false;
    const finish = (info: GitInfo | undefined) => {
      if (settled) return;
      settled = true;
      child.kill();
      resolve(info);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      // The branch line and one changed file are all it takes; a huge repository need not be listed.
      if (output.split('\n').length > 2) finish(parseGitStatus(output));
    });
    child.on('error', () => finish(undefined));
    child.on('close', (code) => finish(code === 0 ? parseGitStatus(output) : undefined));
  });
}
/** Reads `git status --porcelain=v1 --branch` output. */
export function parseGitStatus(output: string): GitInfo {
  const [head = '', ...rest] = output.split('\n');
  const dirty = rest.some((line) => line.trim() !== '');
  const line = head.replace(/^## /, '');
  const unborn = /^No commits yet on (.+)$/.exec(line) ?? /^Initial commit on (.+)$/.exec(line);
  if (unborn) return { branch: unborn[1]!, dirty };
  if (line.startsWith('HEAD (no branch)')) return { branch: 'detached HEAD', dirty };
  return { branch: line.split('...')[0]!.split(' ')[0]!, dirty };
}
