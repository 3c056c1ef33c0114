// Loads what a review looks at: the target's diff, parsed into files, with
// the new version of each text file that still exists (to show small files
// whole and to check the lines findings point at).
import { displayPath, parseDiff, type FileDiff } from '../../tools/git/parse-diff.js';
import { runGit } from '../../tools/git/run-git.js';
import { diffCommand, readNewVersion, type ReviewTarget } from './target.js';

/** The whole diff is read up to this; files past it are named as skipped. */
const DIFF_MAX_BYTES = 16 * 1024 * 1024;
/** A new version larger than this is not read whole (its line count is then a lower bound). */
const FILE_MAX_BYTES = 2 * 1024 * 1024;
const READ_CONCURRENCY = 8;

/** Generated files that say nothing a reviewer should read. */
const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'Cargo.lock',
  'poetry.lock',
  'uv.lock',
  'Pipfile.lock',
  'composer.lock',
  'Gemfile.lock',
  'go.sum',
]);

export interface ChangedFile extends FileDiff {
  /** The path shown everywhere: the new one, or the old one for a deletion. */
  path: string;
  /** The new version's lines, for text files that still exist. */
  newLines?: string[];
  /** False when newLines stops early (a huge file); its length is then a lower bound. */
  newComplete: boolean;
  /** Why the file is not reviewed, when it is not. */
  skip?: string;
}

export interface Changes {
  target: ReviewTarget;
  files: ChangedFile[];
}

export async function loadChanges(root: string, target: ReviewTarget, signal: AbortSignal): Promise<Changes> {
  const diff = await runGit(root, diffCommand(target), { signal, maxBytes: DIFF_MAX_BYTES });
  const parsed = parseDiff(diff.text);
  const files: ChangedFile[] = parsed.map((file) => ({ ...file, path: displayPath(file), newComplete: false }));
  if (diff.cut) {
    // The last file may be incomplete, and later ones are missing: name them from a cheap listing.
    const last = files.at(-1);
    if (last) last.skip = 'the diff is too large to read whole';
    const listed = await runGit(root, diffCommand(target, ['--name-only', '-z']), { signal });
    const known = new Set(files.map((file) => file.path));
    for (const name of listed.text.split('\0').filter(Boolean)) {
      if (known.has(name)) continue;
      files.push({
        newPath: name,
        path: name,
        status: 'modified',
        binary: false,
        hunks: [],
        added: 0,
        removed: 0,
        newComplete: false,
        skip: 'the diff is too large to read whole',
      });
    }
  }
  for (const file of files) file.skip ??= skipReason(file);
  await forEachLimited(
    files.filter((file) => !file.skip && file.newPath !== undefined),
    READ_CONCURRENCY,
    async (file) => {
      const read = await readNewVersion(root, target, file.newPath!, { signal, maxBytes: FILE_MAX_BYTES }).catch(
        () => ({ text: '', cut: true }),
      );
      file.newLines = splitLines(read.text);
      file.newComplete = !read.cut;
    },
  );
  return { target, files };
}

function skipReason(file: ChangedFile): string | undefined {
  if (file.binary) return 'binary';
  if (LOCKFILES.has(file.path.split('/').at(-1) ?? '')) return 'lockfile (generated)';
  if (file.hunks.length === 0) return file.status === 'renamed' ? 'renamed, content unchanged' : 'no content change';
  return undefined;
}

/** A file's lines without the final newline's empty tail. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
