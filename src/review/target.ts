// What a review looks at, and how git shows it: the staged changes (what
// the next commit will hold), the unstaged ones, a branch since it left a
// base, or one commit. Each target also says where the "new version" of a
// file lives, so lines are checked and callers searched in what is reviewed.
import { checkRevision } from '../../tools/git/arguments.js';
import { PLAIN_DIFF } from '../../tools/git/read-actions.js';
import { runGit } from '../../tools/git/run-git.js';
import { openAnchoredFile } from '../../tools/workspace/anchored-read.js';

export type ReviewTarget =
  { kind: 'staged' } | { kind: 'unstaged' } | { kind: 'base'; ref: string } | { kind: 'commit'; ref: string };

/** "the staged changes", "commit abc123", … */
export function describeTarget(target: ReviewTarget): string {
  switch (target.kind) {
    case 'staged':
      return 'the staged changes';
    case 'unstaged':
      return 'the unstaged changes';
    case 'base':
      return `the changes since ${target.ref}`;
    case 'commit':
      return `commit ${target.ref}`;
  }
}

/** Why there is nothing to review, or undefined when the target changes something. */
export async function nothingToReview(
  root: string,
  target: ReviewTarget,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const changed = (await runGit(root, diffCommand(target, ['--name-only']), signal ? { signal } : {})).text.trim();
  if (changed !== '') return undefined;
  switch (target.kind) {
    case 'unstaged':
      return 'Nothing to review: there are no unstaged changes.';
    case 'base':
      return `Nothing to review: HEAD has no changes since ${target.ref}.`;
    case 'commit':
      return `Nothing to review: commit ${target.ref} changes no files.`;
    case 'staged': {
      const unstaged = (await runGit(root, ['diff', '--name-only'])).text.split('\n').filter(Boolean).length;
      const hint =
        unstaged > 0
          ? ` ${unstaged} file${unstaged === 1 ? ' has' : 's have'} unstaged changes: stage them with "git add", ` +
            'or run "gptoss-agent review --unstaged".'
          : '';
      return `Nothing staged to review.${hint}`;
    }
  }
}

/** The git command that prints the target's diff; `options` go before the revisions. */
export function diffCommand(target: ReviewTarget, options: string[] = []): string[] {
  switch (target.kind) {
    case 'staged':
      return ['diff', '--cached', ...PLAIN_DIFF, ...options];
    case 'unstaged':
      return ['diff', ...PLAIN_DIFF, ...options];
    case 'base':
      // Three dots: what the current branch did since it forked from the base.
      return ['diff', ...PLAIN_DIFF, ...options, '--end-of-options', `${checkRevision(target.ref, '--base')}...HEAD`];
    case 'commit':
      return [
        'show',
        ...PLAIN_DIFF,
        ...options,
        '--format=',
        '--diff-merges=first-parent',
        '--end-of-options',
        checkRevision(target.ref, '--commit'),
      ];
  }
}

/** The new version of a file as the target has it (the index, the working tree, HEAD or the commit), up to maxBytes. */
export async function readNewVersion(
  root: string,
  target: ReviewTarget,
  file: string,
  options: { signal: AbortSignal; maxBytes: number },
): Promise<{ text: string; cut: boolean }> {
  if (target.kind === 'unstaged') {
    // Without following links: a link in the change (or a directory swapped for one) must not show the model
    // a file from outside the repository.
    const handle = await openAnchoredFile(root, file);
    if (!handle) throw new Error(`${file} does not exist in the working tree.`);
    try {
      if (!(await handle.stat()).isFile()) throw new Error(`${file} is not a regular file.`);
      const buffer = Buffer.alloc(options.maxBytes + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead <= options.maxBytes) return { text: buffer.subarray(0, bytesRead).toString('utf8'), cut: false };
      const end = buffer.lastIndexOf(0x0a, options.maxBytes - 1);
      return { text: buffer.subarray(0, end + 1).toString('utf8'), cut: true };
    } finally {
      await handle.close();
    }
  }
  const spec = target.kind === 'staged' ? `:${file}` : `${target.kind === 'base' ? 'HEAD' : target.ref}:${file}`;
  return runGit(root, ['show', '--end-of-options', spec], options);
}

/** `git grep` arguments that search the target's new version (the tree goes after the pattern). */
export function grepScope(target: ReviewTarget): { before: string[]; tree?: string } {
  switch (target.kind) {
    case 'staged':
      return { before: ['--cached'] };
    case 'unstaged':
      return { before: [] };
    case 'base':
      return { before: [], tree: 'HEAD' };
    case 'commit':
      return { before: [], tree: target.ref };
  }
}

/** The listings notAsReviewed reads are read up to this; past it, it cannot tell. */
const LISTING_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Files whose working copy is not the target's new version: changed since
 * it (a staged review with unstaged edits on top, a commit long past) or
 * untracked. Tools that read the working tree, such as the symbol index,
 * do not speak for these.
 */
export async function notAsReviewed(root: string, target: ReviewTarget, signal: AbortSignal): Promise<Set<string>> {
  if (target.kind === 'unstaged') return new Set();
  const against =
    target.kind === 'staged' ? [] : [target.kind === 'base' ? 'HEAD' : checkRevision(target.ref, '--commit')];
  const listings = await Promise.all([
    runGit(root, ['diff', '--name-only', '--no-renames', '-z', ...against, '--'], {
      signal,
      maxBytes: LISTING_MAX_BYTES,
    }),
    runGit(root, ['ls-files', '-z', '--others', '--exclude-standard'], { signal, maxBytes: LISTING_MAX_BYTES }),
  ]);
  if (listings.some((listing) => listing.cut)) {
    throw new Error('too many files differ from the working tree to tell which ones');
  }
  return new Set(listings.flatMap((listing) => listing.text.split('\0').filter(Boolean)));
}
