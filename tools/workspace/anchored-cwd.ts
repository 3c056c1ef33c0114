// Where a search program (ripgrep, git grep, git ls-files) runs: in the
// directory the workspace guard checked, held open (tools/workspace/anchored-dir.ts),
// with a relative operand. On Linux its working directory is named
// /proc/<our pid>/fd/<fd>, so a directory swapped for a symbolic link after
// the check cannot send the program outside the repository: it walks the
// very directory that was opened, or fails. Elsewhere the real path is
// checked just before the start (best effort).
import path from 'node:path';
import { openAnchoredDir, RedirectedWriteError, type AnchoredDir } from './anchored-dir.js';
import type { ReadSeams } from './anchored-read.js';
import { ToolError } from '../tool-error.js';

export interface AnchoredCwd {
  /** The program's working directory. */
  cwd: string;
  /** What the program is told to search or list, relative to `cwd`: '.' or a file's name. */
  operand: string;
  /** A path the program printed (relative to `cwd`, forward slashes) as relative to the root. */
  toRoot(printed: string): string;
  close(): Promise<void>;
}

/**
 * Opens the directory `target` (relative to `root`, forward slashes, '.' for the root), or the one holding it
 * when `isFile`, for a program to run in. `what` names the action in the error ("searched", "listed").
 */
export async function openAnchoredCwd(
  root: string,
  target: string,
  options: { isFile: boolean; what: string; seams?: ReadSeams },
): Promise<AnchoredCwd> {
  await options.seams?.checked?.();
  const dirRelative = options.isFile ? path.posix.dirname(target) : target;
  const operand = options.isFile ? path.posix.basename(target) : '.';
  let dir: AnchoredDir;
  try {
    dir = await openAnchoredDir(root, dirRelative);
  } catch (error) {
    throw refusal(error, target, options.what);
  }
  let cwd: string;
  try {
    // Where /proc is missing this checks the real path again, as late as that platform allows.
    cwd = dir.here();
  } catch (error) {
    await dir.close();
    throw refusal(error, target, options.what);
  }
  const prefix = dirRelative === '.' || dirRelative === '' ? '' : `${dirRelative}/`;
  return {
    cwd,
    operand,
    toRoot: (printed) => prefix + (printed.startsWith('./') ? printed.slice(2) : printed),
    close: () => dir.close(),
  };
}

/** What the model is told when the directory was replaced; other errors as they are. */
function refusal(error: unknown, target: string, what: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (!(error instanceof RedirectedWriteError) && code !== 'ENOENT' && code !== 'ENOTDIR') return error;
  return new ToolError(
    `${target} was replaced while it was being ${what} (it, or a directory on its path, is now a symbolic link ` +
      `or something else). Nothing was ${what}. Check the path with list_files and try again.`,
  );
}
