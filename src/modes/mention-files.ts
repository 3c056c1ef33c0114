// The repository's files for @mention completion: the same listing as
// list_files (git's index, else ripgrep, else a walk; .gitignore respected),
// taken once when the first @ is typed, never with the first frame.
import { walkFiles } from '../../tools/files/file-sources.js';
import { findRipgrep } from '../../tools/grep/ripgrep.js';
import type { Workspace } from '../../tools/workspace/workspace.js';

/** More than anyone scrolls through; the rest are left out of the completion. */
const MAX_FILES = 50_000;

export async function listMentionFiles(workspace: Workspace): Promise<string[]> {
  const files: string[] = [];
  const rg = await findRipgrep().catch(() => undefined);
  await walkFiles({
    workspace,
    dir: '.',
    rg,
    signal: AbortSignal.timeout(10_000),
    onFile: (relative) => {
      files.push(relative);
      return files.length >= MAX_FILES ? 'stop' : undefined;
    },
  });
  // Directories can be mentioned too (their listing is attached).
  const dirs = new Set<string>();
  for (const file of files) {
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) {
      dirs.add(`${file.slice(0, slash)}/`);
    }
  }
  return [...dirs, ...files];
}
