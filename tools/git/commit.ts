// The git tool's one change: a commit of exactly what the user approved.
// What would be committed is staged in a scratch copy of the index (nothing is
// staged before the user agrees) and shown whole; after the yes it is staged
// again and must come out as the same tree, byte for byte, or nothing is
// committed. The commit is written with commit-tree and update-ref (HEAD must
// still be the parent that was shown), so no repository hook ever runs.
import { changeSummary } from '../patch/report.js';
import { plural } from '../text/plural.js';
import { notApprovedResult, ToolError, type ToolContext, type ToolResult } from '../tool.js';
import { requireField } from './arguments.js';
import { presentCommitHooks } from './commit-hooks.js';
import { filteredPaths } from './filtered-paths.js';
import { runGit } from './run-git.js';
import { installIndex, previewStaged, stageInScratch } from './scratch-index.js';

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
  const root = ctx.workspace.root;
  const shown = await stageInScratch(root, paths, ctx.signal);
  try {
    const preview = await previewStaged(root, shown, ctx.signal);
    if (preview.files.length === 0) {
      throw new ToolError(
        paths.length > 0
          ? `Nothing to commit: ${paths.join(', ')} ${paths.length === 1 ? 'has' : 'have'} no changes and nothing else is staged.`
          : 'Nothing to commit: nothing is staged. Give the files to commit in paths, e.g. paths ["src/a.ts"].',
      );
    }
    const changed = preview.files.flatMap((file) => (file.movedTo ? [file.path, file.movedTo] : [file.path]));
    const filtered = await filteredPaths(root, changed, ctx.signal);
    if (filtered.length > 0) {
      const named = filtered.map((file) => `${file.path} (filter "${file.filter}")`).join(', ');
      throw new ToolError(
        `Not committed: ${named} ${filtered.length === 1 ? 'goes' : 'go'} through a git filter, which the agent never runs ` +
          'outside the sandbox, so the commit would hold the raw file instead of what the filter stores. ' +
          'Leave this commit to the user (git commit in their terminal) and say which files are ready.',
      );
    }
    const hooks = await presentCommitHooks(root, ctx.signal);
    const warnings = [
      ...(preview.cut
        ? ['the diff is too long to show whole; only its start is shown, the file list is complete']
        : []),
      ...(hooks.length > 0 ? [`${hookWords(hooks)} will not run (hooks never run outside the sandbox)`] : []),
    ];
    const outcome = await ctx.ask({
      tool: 'git',
      kind: 'edit',
      title: `Commit "${subject(message)}" (${changeSummary(preview.files)})`,
      diff: preview.diff,
      files: preview.files,
      commit: { message },
      ...(warnings.length > 0 ? { warning: warnings.join('; ') } : {}),
    });
    if (!outcome.approved) return notApprovedResult(outcome, 'this commit');
    if (ctx.signal.aborted)
      throw new ToolError('The run was stopped before the approved commit was made. Nothing was committed.');

    const now = await stageInScratch(root, paths, ctx.signal);
    try {
      if (now.tree !== shown.tree || now.parent !== shown.parent) {
        const what = now.parent !== shown.parent ? 'HEAD moved' : 'the files or the index changed';
        throw new ToolError(
          `Nothing was committed: ${what} after the commit was shown for approval, so it would not be what was approved. ` +
            'Look at git status and git diff, then ask for the commit again.',
        );
      }
      const commit = (
        await runGit(
          root,
          [
            'commit-tree',
            '--no-gpg-sign',
            now.tree,
            ...(now.parent ? ['-p', now.parent] : []),
            '-m',
            cleanMessage(message),
          ],
          { signal: ctx.signal, write: true },
        )
      ).text.trim();
      // Compare-and-swap: only if HEAD still points at the parent that was shown ('' = must not exist yet).
      await runGit(root, ['update-ref', '-m', `commit: ${subject(message)}`, 'HEAD', commit, now.parent ?? ''], {
        signal: ctx.signal,
        write: true,
      });
      const indexUpdated = await installIndex(now);
      const head = (await runGit(root, ['rev-parse', '--short', commit], { signal: ctx.signal })).text.trim();
      const notes = [
        ...(hooks.length > 0 ? [`${hookWords(hooks)} ${hooks.length === 1 ? 'was' : 'were'} not run.`] : []),
        ...(indexUpdated
          ? []
          : [
              'The index was locked by another git command and was left as it was; run "git reset -q" to match it to the commit.',
            ]),
      ];
      return {
        output: [`Committed ${head} "${subject(message)}": ${changeSummary(preview.files)}.`, ...notes].join(' '),
        data: { commit: head, files: preview.files, hooksNotRun: hooks },
        summary: hooks.length > 0 ? `committed ${head} (hooks not run)` : `committed ${head}`,
      };
    } finally {
      await now.discard();
    }
  } finally {
    await shown.discard();
  }
}

function hookWords(hooks: readonly string[]): string {
  return `The repository's ${hooks.join(', ')} ${plural(hooks.length, 'hook').replace(/^\d+ /, '')}`;
}

/** What `git commit -m` does to a message: no trailing spaces, no runs of blank lines, one final newline. */
function cleanMessage(message: string): string {
  const lines = message.split('\n').map((line) => line.trimEnd());
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

function subject(message: string): string {
  const first = message.split('\n', 1)[0] ?? '';
  return first.length > SUBJECT_MAX ? `${first.slice(0, SUBJECT_MAX - 1)}…` : first;
}
