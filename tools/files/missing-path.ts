// Looks up a path the model gave for reading; when it does not exist, the
// error names what the model most likely meant: a typo in the file name, or
// in a directory on the way, or a file of that name elsewhere in the repository.
import type { Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { closeNames } from './close-names.js';
import { filesNamedLike } from './names-elsewhere.js';
import { ToolError } from '../tool-error.js';
import { openAnchoredDir } from '../workspace/anchored-dir.js';
import type { ResolvedPath, Workspace } from '../workspace/workspace.js';

type PathKind = 'file' | 'directory' | 'file or directory';

/** The path resolved by the workspace guard, and its stat; a path that does not exist throws a ToolError. */
export async function statForRead(
  workspace: Workspace,
  requested: string,
  what: PathKind,
): Promise<{ resolved: ResolvedPath; info: Stats }> {
  const resolved = await workspace.resolveForRead(requested);
  const info = await lstatInside(workspace.root, resolved.relative);
  if (!info) throw await missingPathError(workspace, resolved, what);
  return { resolved, info };
}

async function missingPathError(workspace: Workspace, resolved: ResolvedPath, what: PathKind): Promise<ToolError> {
  // Find the first part of the path that is missing, below a directory that exists.
  let missing = resolved.absolute;
  let parent = path.dirname(missing);
  while (
    parent !== workspace.root &&
    parent !== path.dirname(parent) &&
    !(await isDirectory(workspace.root, workspace.relative(parent)))
  ) {
    missing = parent;
    parent = path.dirname(parent);
  }
  const shown = resolved.relative;
  const where = missing === resolved.absolute ? '' : `: there is no ${workspace.relative(missing)}`;
  const suggestions = await likelyMeant(workspace, resolved, parent, missing, what);
  const next =
    suggestions.length > 0
      ? ` Did you mean ${suggestions.join(' or ')}?`
      : ` Use list_files${what === 'file' ? ' or grep' : ''} to find the right path.`;
  return new ToolError(`No ${what} ${shown}${where}.${next}`);
}

/** At most 3: files of the same name elsewhere and close names next to the missing part, else close file names elsewhere. */
async function likelyMeant(
  workspace: Workspace,
  resolved: ResolvedPath,
  parent: string,
  missing: string,
  what: PathKind,
): Promise<string[]> {
  const nearby = (await closeNames(workspace.root, path.relative(workspace.root, parent), path.basename(missing))).map(
    (name) => workspace.relative(path.join(parent, name)),
  );
  const elsewhere = what === 'directory' ? [] : await filesNamedLike(workspace, path.basename(resolved.absolute));
  const sameName = elsewhere.filter((file) => file.distance === 0).map((file) => file.path);
  // A file of the very name elsewhere is what was meant; near names far away would only add noise then.
  const ordered = sameName.length > 0 ? [...sameName, ...nearby] : [...nearby, ...elsewhere.map((file) => file.path)];
  return [...new Set(ordered)].slice(0, 3);
}

// Both look from directories held open without following links (tools/workspace/anchored-dir.ts): a
// component swapped for a link after the guard's check must not tell the model what exists outside.

/** The entry at `relative` (forward slashes) itself, a link as a link; undefined when it is not there. */
async function lstatInside(root: string, relative: string): Promise<Stats | undefined> {
  if (relative === '.') return stat(root);
  const dir = await openAnchoredDir(root, path.posix.dirname(relative)).catch(() => undefined);
  if (!dir) return undefined;
  try {
    return await lstat(dir.entry(path.posix.basename(relative)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  } finally {
    await dir.close();
  }
}

async function isDirectory(root: string, relative: string): Promise<boolean> {
  const dir = await openAnchoredDir(root, relative).catch(() => undefined);
  await dir?.close();
  return dir !== undefined;
}
