// The git tool's read-only actions: status, diff, log, show and blame. Each
// runs one git command with fixed options (no colour, no pager, no external
// diff driver) and says plainly when there is nothing to show.
import { plural } from '../text/plural.js';
import type { ToolContext, ToolResult } from '../tool.js';
import { checkRevision, repoPath, requireField } from './arguments.js';
import { runGit, type GitOutput } from './run-git.js';

export interface GitReadArgs {
  path?: string;
  ref?: string;
  staged?: boolean;
  count?: number;
  start_line?: number;
  end_line?: number;
}

export const DEFAULT_LOG_COUNT = 20;
/** Options that keep a diff plain whatever the user's git config says. */
export const PLAIN_DIFF = ['--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '-M'];

const CUT_NOTE = (what: string) => `[… ${what} was cut at the source; narrow it with path, ref or count.]`;

export async function gitStatus(ctx: ToolContext): Promise<ToolResult> {
  const { text } = await git(ctx, ['status', '--short', '--branch', '--untracked-files=normal']);
  const lines = text.trimEnd().split('\n');
  const changes = lines.filter((line) => line !== '' && !line.startsWith('##'));
  const output = changes.length === 0 ? `${lines[0] ?? ''}\nNothing to commit: the working tree is clean.` : text;
  return {
    output: output.trimEnd(),
    data: { branch: lines[0]?.replace(/^## /, ''), changes },
    summary: changes.length === 0 ? 'clean' : plural(changes.length, 'change'),
  };
}

export async function gitDiff(args: GitReadArgs, ctx: ToolContext): Promise<ToolResult> {
  const command = ['diff', ...PLAIN_DIFF];
  if (args.staged) command.push('--cached');
  if (args.ref) command.push('--end-of-options', checkRevision(args.ref, 'ref'));
  if (args.path) command.push('--', await repoPath(ctx.workspace, args.path));
  const out = await git(ctx, command);
  const what = args.ref ? `against ${args.ref}` : args.staged ? 'staged' : 'unstaged';
  if (out.text.trim() === '') {
    const hint = args.staged || args.ref ? '' : ' (staged changes are shown with staged: true)';
    return { output: `No ${what} changes${args.path ? ` in ${args.path}` : ''}${hint}.`, summary: 'no changes' };
  }
  const files = (out.text.match(/^diff --git /gm) ?? []).length;
  return withCut(out, 'this diff', { summary: `${what}: ${plural(files, 'file')}`, moreHint: 'git diff with a path' });
}

export async function gitLog(args: GitReadArgs, ctx: ToolContext): Promise<ToolResult> {
  const count = args.count ?? DEFAULT_LOG_COUNT;
  const command = ['log', '--no-color', '--date=short', '--format=%h %ad %an: %s', `--max-count=${count}`];
  if (args.ref) command.push('--end-of-options', checkRevision(args.ref, 'ref'));
  if (args.path) command.push('--', await repoPath(ctx.workspace, args.path));
  let out: GitOutput;
  try {
    out = await git(ctx, command);
  } catch (error) {
    if (/does not have any commits yet/.test((error as Error).message)) {
      return { output: 'No commits yet: this repository is empty.', summary: 'no commits' };
    }
    throw error;
  }
  const shown = out.text.trimEnd().split('\n').filter(Boolean).length;
  if (shown === 0) return { output: `No commits${args.path ? ` touch ${args.path}` : ''}.`, summary: 'no commits' };
  const more = shown === count ? `\n[The ${count} most recent; raise count or give a range to see others.]` : '';
  return withCut({ ...out, text: `${out.text.trimEnd()}${more}` }, 'the log', { summary: plural(shown, 'commit') });
}

export async function gitShow(args: GitReadArgs, ctx: ToolContext): Promise<ToolResult> {
  const ref = checkRevision(requireField(args.ref, 'ref', 'show', 'ref "HEAD~1"'), 'ref');
  if (!args.path) {
    const out = await git(ctx, ['show', ...PLAIN_DIFF, '--stat', '--patch', '--date=iso', '--end-of-options', ref]);
    return withCut(out, 'this commit', { summary: `commit ${ref}`, moreHint: 'git show with ref and path' });
  }
  const file = await repoPath(ctx.workspace, args.path);
  const out = await git(ctx, ['show', '--end-of-options', `${ref}:${file}`]);
  const lines = out.text.replace(/\n$/, '').split('\n');
  const width = String(lines.length).length;
  const numbered = lines.map((line, i) => `${String(i + 1).padStart(width)}\t${line}`).join('\n');
  return withCut({ ...out, text: numbered }, 'this file', {
    summary: `${file} at ${ref}: ${plural(lines.length, 'line')}`,
    moreHint: 'git blame or git show of a narrower ref',
  });
}

export async function gitBlame(args: GitReadArgs, ctx: ToolContext): Promise<ToolResult> {
  const file = await repoPath(ctx.workspace, requireField(args.path, 'path', 'blame', 'path "src/a.ts"'));
  const command = ['blame', '--date=short'];
  if (args.start_line !== undefined || args.end_line !== undefined) {
    const start = args.start_line ?? 1;
    command.push('-L', args.end_line !== undefined ? `${start},${args.end_line}` : `${start},`);
  }
  if (args.ref) command.push(checkRevision(args.ref, 'ref'));
  command.push('--', file);
  const out = await git(ctx, command);
  const lines = out.text.trimEnd().split('\n').filter(Boolean).length;
  return withCut(out, 'the blame', {
    summary: `${file}: ${plural(lines, 'line')}`,
    moreHint: 'git blame with start_line and end_line',
  });
}

function git(ctx: ToolContext, args: string[]): Promise<GitOutput> {
  return runGit(ctx.workspace.root, args, { signal: ctx.signal });
}

function withCut(out: GitOutput, what: string, result: Omit<ToolResult, 'output'>): ToolResult {
  const text = out.text.trimEnd();
  return { ...result, output: out.cut ? `${text}\n${CUT_NOTE(what)}` : text };
}
