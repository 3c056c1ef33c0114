// Looks up a path the model gave for reading; when it does not exist, the
// error names what the model most likely meant: a typo in the file name, or
// in a directory on the way.
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { closeNames } from './close-names.js';
import { ToolError } from './tool.js';
import type { ResolvedPath, Workspace } from './workspace.js';

type PathKind = 'file' | 'directory' | 'file or directory';

/** The path resolved by the workspace guard, and its stat; a path that does not exist throws a ToolError. */
export async function statForRead(
  workspace: Workspace,
  requested: string,
  what: PathKind,
): Promise<{ resolved: ResolvedPath; info: Stats }> {
  const resolved = await workspace.resolveForRead(requested);
  const info = await stat(resolved.absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (!info) throw await missingPathError(workspace, resolved, what);
  return { resolved, info };
}

async function missingPathError(workspace: Workspace, resolved: ResolvedPath, what: PathKind): Promise<ToolError> {
  // Find the first part of the path that is missing, below a directory that exists.
  let missing = resolved.absolute;
  let parent = path.dirname(missing);
  while (parent !== workspace.root && parent !== path.dirname(parent) && !(await isDirectory(parent))) {
    missing = parent;
    parent = path.dirname(parent);
  }
  const shown = resolved.relative;
  const where = missing === resolved.absolute ? '' : `: there is no ${workspace.relative(missing)}`;
  const suggestions = (await closeNames(parent, path.basename(missing))).map((name) =>
    workspace.relative(path.join(parent, name)),
  );
  const next =
    suggestions.length > 0
      ? ` Did you mean ${suggestions.join(' or ')}?`
      : ` Use list_files${what === 'file' ? ' or grep' : ''} to find the right path.`;
  return new ToolError(`No ${what} ${shown}${where}.${next}`);
}

async function isDirectory(absolute: string): Promise<boolean> {
  try {
    return (await stat(absolute)).isDirectory();
  } catch {
    return false;
  }
}
