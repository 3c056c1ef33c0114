// The git tool's one change: a commit. What would be committed is worked
// out first in a scratch copy of the index (so nothing is staged before the
// user agrees), shown with the message, and only then staged and committed.
import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { changeSummary } from '../patch/report.js';
import { notApprovedResult, ToolError, type FileChangeSummary, type ToolContext, type ToolResult } from '../tool.js';
import { requireField } from './arguments.js';
import { displayPath, parseDiff, type FileDiff } from './parse-diff.js';
import { PLAIN_DIFF } from './read-actions.js';
import { runGit } from './run-git.js';

export interface GitCommitArgs {
  message?: string;
  /** Files to stage (changes, additions and deletions) before committing. */
  paths?: string[];
}

const SUBJECT_MAX = 72;

export async function gitCommit(args: GitCommitArgs, ctx: ToolContext): Promise<ToolResult> {
  const message = requireField(args.message, 'message', 'commit', 'message "Fix the off-by-one in parse()"').trim();
  const paths = await Promise.all(
    (args.paths ?? []).map(async (p) => (await ctx.workspace.resolveForWrite(p)).relative),
  );
  const preview = await previewCommit(ctx, paths);
  if (preview.files.length === 0) {
    throw new ToolError(
      paths.length > 0
        ? `Nothing to commit: ${paths.join(', ')} ${paths.length === 1 ? 'has' : 'have'} no changes and nothing else is staged.`
        : 'Nothing to commit: nothing is staged. Give the files to commit in paths, e.g. paths ["src/a.ts"].',
    );
  }
  const outcome = await ctx.ask({
    tool: 'git',
    kind: 'edit',
    title: `Commit "${subject(message)}" (${changeSummary(preview.files)})`,
    diff: preview.diff,
    files: preview.files,
    commit: { message },
    ...(preview.cut ? { warning: 'the diff is too long to show whole; only its start is shown' } : {}),
  });
  if (!outcome.approved) return notApprovedResult(outcome, 'this commit');
  if (ctx.signal.aborted)
    throw new ToolError('The run was stopped before the approved commit was made. Nothing was committed.');

  const root = ctx.workspace.root;
  if (paths.length > 0) await runGit(root, ['add', '-A', '--', ...paths], { signal: ctx.signal });
  await runGit(root, ['commit', '--quiet', '--message', message], { signal: ctx.signal });
  const head = (await runGit(root, ['rev-parse', '--short', 'HEAD'], { signal: ctx.signal })).text.trim();
  return {
    output: `Committed ${head} "${subject(message)}": ${changeSummary(preview.files)}.`,
    data: { commit: head, files: preview.files },
    summary: `committed ${head}`,
  };
}

interface CommitPreview {
  diff: string;
  files: FileChangeSummary[];
  cut: boolean;
}

/** The staged diff as it would be after staging `paths`, computed in a scratch index. */
async function previewCommit(ctx: ToolContext, paths: string[]): Promise<CommitPreview> {
  const root = ctx.workspace.root;
  const indexPath = path.resolve(
    root,
    (await runGit(root, ['rev-parse', '--git-path', 'index'], { signal: ctx.signal })).text.trim(),
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gptoss-commit-'));
  const env = { GIT_INDEX_FILE: path.join(dir, 'index') };
  try {
    try {
      await copyFile(indexPath, env.GIT_INDEX_FILE);
      // The copy keeps the index's time: git re-reads files changed in the same second as the
      // index was written ("racy" entries) only when it can see that.
      const { atime, mtime } = await stat(indexPath);
      await utimes(env.GIT_INDEX_FILE, atime, mtime);
    } catch (error) {
      // A repository where nothing was ever staged has no index yet.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (paths.length > 0) await runGit(root, ['add', '-A', '--', ...paths], { env, signal: ctx.signal });
    const { text, cut } = await runGit(root, ['diff', '--cached', ...PLAIN_DIFF], { env, signal: ctx.signal });
    return { diff: text, files: parseDiff(text).map(toSummary), cut };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function toSummary(file: FileDiff): FileChangeSummary {
  const counts = { added: file.added, removed: file.removed };
  if (file.status === 'renamed') {
    return { path: file.oldPath ?? '', movedTo: file.newPath ?? '', change: 'move', ...counts };
  }
  const change = file.status === 'deleted' ? 'delete' : file.status === 'modified' ? 'update' : 'add';
  return { path: displayPath(file), change, ...counts };
}

function subject(message: string): string {
  const first = message.split('\n', 1)[0] ?? '';
  return first.length > SUBJECT_MAX ? `${first.slice(0, SUBJECT_MAX - 1)}…` : first;
}
