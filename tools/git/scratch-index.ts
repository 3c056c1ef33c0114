// What a commit would record, worked out in a scratch copy of the index so
// that nothing is staged before the user agrees: the tree (by its id, so the
// same id later means the same bytes), the parent, the diff to show and every
// file it changes. The scratch index becomes the real one once committed.
import { constants } from 'node:fs';
import { copyFile, mkdtemp, rename, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FileChangeSummary } from '../tool.js';
import { displayPath, parseDiff, type FileDiff } from './parse-diff.js';
import { PLAIN_DIFF } from './read-actions.js';
import { GitCommandError, runGit } from './run-git.js';

export interface StagedTree {
  /** The tree object the commit would record. */
  tree: string;
  /** HEAD's commit, or undefined in a repository without commits. */
  parent: string | undefined;
  /** The scratch index that holds `tree`; remove it with discard(). */
  indexFile: string;
  /** The real index it was copied from. */
  realIndex: string;
  discard(): Promise<void>;
}

export interface CommitPreview {
  diff: string;
  /** Every file the commit changes, also when the diff is too long to show whole. */
  files: FileChangeSummary[];
  cut: boolean;
}

/** The real index plus `paths` (changes, additions, deletions), in a scratch index, and its tree. */
export async function stageInScratch(root: string, paths: readonly string[], signal: AbortSignal): Promise<StagedTree> {
  const realIndex = path.resolve(
    root,
    (await runGit(root, ['rev-parse', '--git-path', 'index'], { signal })).text.trim(),
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gptoss-commit-'));
  const indexFile = path.join(dir, 'index');
  const discard = () => rm(dir, { recursive: true, force: true });
  try {
    try {
      await copyFile(realIndex, indexFile);
      // The copy keeps the index's time: git re-reads files changed in the same second as the
      // index was written ("racy" entries) only when it can see that.
      const { atime, mtime } = await stat(realIndex);
      await utimes(indexFile, atime, mtime);
    } catch (error) {
      // A repository where nothing was ever staged has no index yet.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const env = { GIT_INDEX_FILE: indexFile };
    if (paths.length > 0) await runGit(root, ['add', '-A', '--', ...paths], { env, signal, write: true });
    const tree = (await runGit(root, ['write-tree'], { env, signal, write: true })).text.trim();
    return { tree, parent: await headCommit(root, signal), indexFile, realIndex, discard };
  } catch (error) {
    await discard();
    throw error;
  }
}

/** The diff and file list between HEAD and the staged tree. */
export async function previewStaged(root: string, staged: StagedTree, signal: AbortSignal): Promise<CommitPreview> {
  const env = { GIT_INDEX_FILE: staged.indexFile };
  const { text, cut } = await runGit(root, ['diff', '--cached', ...PLAIN_DIFF], { env, signal });
  if (!cut) return { diff: text, files: parseDiff(text).map(toSummary), cut };
  // The diff was cut: the list of files still names all of them.
  const listed = await runGit(root, ['diff', '--cached', '-M', '--numstat', '-z'], { env, signal, maxBytes: 64 << 20 });
  return { diff: text, files: parseNumstat(listed.text), cut };
}

/** Makes the scratch index the real one (after the commit), as git does: through index.lock. */
export async function installIndex(staged: StagedTree): Promise<boolean> {
  const lock = `${staged.realIndex}.lock`;
  try {
    await copyFile(staged.indexFile, lock, constants.COPYFILE_EXCL);
  } catch {
    // Another git command holds the lock; the commit stands, the index is left as it was.
    return false;
  }
  await rename(lock, staged.realIndex);
  return true;
}

async function headCommit(root: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    return (await runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { signal })).text.trim();
  } catch (error) {
    if (error instanceof GitCommandError) return undefined;
    throw error;
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

/** `--numstat -z`: "added\tremoved\tpath\0", or for a rename "added\tremoved\t\0old\0new\0". */
function parseNumstat(text: string): FileChangeSummary[] {
  const fields = text.split('\0');
  const files: FileChangeSummary[] = [];
  for (let i = 0; i < fields.length; i++) {
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(fields[i]!);
    if (!match) continue;
    const counts = { added: Number(match[1]) || 0, removed: Number(match[2]) || 0 };
    if (match[3] === '') {
      files.push({ path: fields[i + 1] ?? '', movedTo: fields[i + 2] ?? '', change: 'move', ...counts });
      i += 2;
    } else {
      files.push({ path: match[3]!, change: 'update', ...counts });
    }
  }
  return files;
}
