// Checks the revisions and paths the model gives the git tool before they
// reach a command line: a revision never starts with "-" (no option
// injection), and a path must stay inside the repository.
import { ToolError } from '../tool-error.js';
import type { Workspace } from '../workspace/workspace.js';

/** A branch, tag, commit, HEAD~2 or a range such as main..HEAD. */
export function checkRevision(value: string, field: string): string {
  const revision = value.trim();
  if (revision === '') throw new ToolError(`${field} is empty. Give a branch, tag or commit, e.g. HEAD~1.`);
  if (revision.startsWith('-') || /[\s\0]/.test(revision)) {
    throw new ToolError(
      `${field} "${value}" is not a revision. Give a branch, tag, commit or a range such as main..HEAD (no spaces or options).`,
    );
  }
  return revision;
}

/** The path relative to the repository root, as git wants it after "--". */
export async function repoPath(workspace: Workspace, requested: string): Promise<string> {
  const { relative } = await workspace.resolveForRead(requested);
  if (relative.split('/').includes('.git')) {
    throw new ToolError(`${relative} is inside .git, git's own storage; ask about the files it tracks instead.`);
  }
  return relative;
}

export function requireField<T>(value: T | undefined, field: string, action: string, example: string): T {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
    throw new ToolError(`git ${action} needs ${field}, e.g. ${example}.`);
  }
  return value;
}
