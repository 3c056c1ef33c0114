// Applies a set of file changes as one transaction: every new content is
// written to a temporary file beside its target first, then renamed into
// place; if any step fails, every file already touched is put back as it was.
// The bytes each change replaced are returned, for undo and the session's diff.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Workspace } from './workspace.js';
import { ToolError } from './tool.js';
import { sha256 } from './write-journal.js';

export type PlannedChange =
  | { type: 'add'; path: string; content: string }
  | { type: 'update'; path: string; content: string; moveTo?: string }
  | { type: 'delete'; path: string };

/** A file as it was (or is), by path relative to the workspace root. */
export interface FileSnapshot {
  path: string;
  existed: boolean;
  bytes?: Buffer;
  /** Permission bits, e.g. 0o755. */
  mode?: number;
}

export interface AppliedChangeSet {
  changes: PlannedChange[];
  /** Every path the set touched (sources and move destinations), before. */
  before: FileSnapshot[];
  /** The same paths, after. */
  after: FileSnapshot[];
  /** Directories the set created to hold new files, outermost first (undo removes them again). */
  createdDirs: string[];
}

/**
 * The file-system steps of the commit phase. Tests pass their own to make a
 * step fail midway and check the rollback; everyone else gets the real ones.
 */
export interface CommitSteps {
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

const fileSystemSteps: CommitSteps = { rename, unlink };

interface Target {
  relative: string;
  absolute: string;
}

/**
 * Checks every change against the current files, then applies them all or none.
 * Throws a ToolError with a message for the model when a change does not fit
 * (adding a file that exists, updating one that does not, …).
 */
export async function applyFileChanges(
  workspace: Workspace,
  changes: PlannedChange[],
  steps: CommitSteps = fileSystemSteps,
): Promise<AppliedChangeSet> {
  const targets = new Map<string, Target>();
  const resolve = async (requested: string): Promise<Target> => {
    const { absolute, relative } = await workspace.resolveForWrite(requested);
    const target = targets.get(relative) ?? { absolute, relative };
    targets.set(relative, target);
    return target;
  };
  const resolved = [];
  for (const change of changes) {
    const source = await resolve(change.path);
    const destination = change.type === 'update' && change.moveTo ? await resolve(change.moveTo) : undefined;
    resolved.push({ change, source, destination });
  }

  const before = new Map<string, FileSnapshot>();
  for (const target of targets.values()) before.set(target.relative, await snapshot(target));

  for (const { change, source, destination } of resolved) {
    const existing = before.get(source.relative)!;
    if (change.type === 'add' && existing.existed) {
      throw new ToolError(`Cannot add ${source.relative}: it already exists. Use "*** Update File:" to change it.`);
    }
    if (change.type !== 'add' && !existing.existed) {
      throw new ToolError(`Cannot ${change.type} ${source.relative}: no such file.`);
    }
    if (destination && destination.relative !== source.relative && before.get(destination.relative)!.existed) {
      throw new ToolError(`Cannot move ${source.relative} to ${destination.relative}: the destination already exists.`);
    }
  }

  const writes = resolved.flatMap(({ change, source, destination }) => {
    if (change.type === 'delete') return [];
    const target = destination ?? source;
    return [{ change, source, target, temp: tempPathFor(target.absolute) }];
  });
  // What each target is to hold: the content written there, or nothing (deleted, moved away).
  const planned = new Map(writes.map(({ target, change }) => [target.relative, sha256(change.content)]));
  const newDirs = new Set<string>();
  for (const { target } of writes) for (const dir of await missingDirs(path.dirname(target.absolute))) newDirs.add(dir);
  const noted = await noteInJournal(
    workspace,
    writes.map((write) => write.temp),
    [...newDirs],
    [...targets.values()].map((target) => ({
      target,
      was: before.get(target.relative)!,
      planned: planned.get(target.relative) ?? null,
    })),
  );

  const staged: { temp: string; target: Target }[] = [];
  const createdDirs: string[] = [];
  const committed = new Set<string>();
  try {
    for (const { change, source, target, temp } of writes) {
      createdDirs.push(...(await makeParents(path.dirname(target.absolute))));
      const mode = before.get(source.relative)!.mode;
      await writeFile(temp, change.content, { mode: mode ?? 0o644 });
      // writeFile's mode passes through the umask; an existing file keeps its exact bits.
      if (mode !== undefined) await chmod(temp, mode);
      staged.push({ temp, target });
    }
    let next = 0;
    for (const { change, source, destination } of resolved) {
      if (change.type === 'delete') {
        committed.add(source.relative);
        await steps.unlink(source.absolute);
        continue;
      }
      const { temp, target } = staged[next++]!;
      committed.add(target.relative);
      await steps.rename(temp, target.absolute);
      if (destination && destination.relative !== source.relative) {
        committed.add(source.relative);
        await steps.unlink(source.absolute);
      }
    }
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => unlink(temp).catch(() => {})));
    await restore([...committed].map((relative) => ({ target: targets.get(relative)!, was: before.get(relative)! })));
    for (const dir of createdDirs.reverse()) await rmdir(dir).catch(() => {});
    if (error instanceof ToolError) throw error;
    throw new ToolError(`Writing the change failed and nothing was changed: ${(error as Error).message}`);
  } finally {
    await noted();
  }

  const after: FileSnapshot[] = [];
  for (const target of targets.values()) after.push(await snapshot(target));
  return {
    changes,
    before: [...before.values()],
    after,
    createdDirs: createdDirs.map((dir) => workspace.relative(dir)),
  };
}

/** Puts files back exactly as the snapshots say (used for rollback and undo). */
export async function restoreSnapshots(workspace: Workspace, snapshots: FileSnapshot[]): Promise<void> {
  const items = [];
  for (const was of snapshots) {
    const { absolute, relative } = await workspace.resolveForWrite(was.path);
    items.push({ target: { absolute, relative }, was, temp: tempPathFor(absolute) });
  }
  const journalled = [];
  for (const { target, was } of items) {
    journalled.push({ target, was: await snapshot(target), planned: was.existed ? sha256(was.bytes ?? '') : null });
  }
  const noted = await noteInJournal(
    workspace,
    items.map((item) => item.temp),
    [],
    journalled,
  );
  try {
    await restore(items);
  } finally {
    await noted();
  }
}

async function restore(items: { target: Target; was: FileSnapshot; temp?: string }[]): Promise<void> {
  for (const { target, was, temp = tempPathFor(target.absolute) } of items) {
    if (was.existed) {
      await makeParents(path.dirname(target.absolute));
      await writeFile(temp, was.bytes ?? Buffer.alloc(0), { mode: was.mode ?? 0o644 });
      if (was.mode !== undefined) await chmod(temp, was.mode);
      await rename(temp, target.absolute);
    } else {
      await unlink(target.absolute).catch(() => {});
    }
  }
}

async function snapshot(target: Target): Promise<FileSnapshot> {
  try {
    const stats = await lstat(target.absolute);
    if (!stats.isFile()) {
      throw new ToolError(`${target.relative} is not a regular file; the agent only edits regular files.`);
    }
    return { path: target.relative, existed: true, bytes: await readFile(target.absolute), mode: stats.mode & 0o7777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path: target.relative, existed: false };
    throw error;
  }
}

/** Creates missing parent directories; returns the ones it created, outermost first. */
async function makeParents(dir: string): Promise<string[]> {
  const missing = await missingDirs(dir);
  if (missing.length > 0) await mkdir(dir, { recursive: true });
  return missing;
}

/** `dir` and those of its parents that do not exist, outermost first. */
async function missingDirs(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      await lstat(current);
      break;
    } catch {
      missing.unshift(current);
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  return missing;
}

/** Notes the set in the workspace's journal, if it keeps one; returns what removes the note. */
async function noteInJournal(
  workspace: Workspace,
  temps: string[],
  dirs: string[],
  files: { target: Target; was: FileSnapshot; planned: string | null }[],
): Promise<() => Promise<void>> {
  if (!workspace.journal) return async () => {};
  return workspace.journal.begin(
    workspace.root,
    temps,
    dirs,
    files.map(({ target, was, planned }) => ({
      path: target.absolute,
      existed: was.existed,
      ...(was.bytes ? { bytes: was.bytes } : {}),
      ...(was.mode !== undefined ? { mode: was.mode } : {}),
      planned,
    })),
  );
}

function tempPathFor(absolute: string): string {
  return path.join(path.dirname(absolute), `.${path.basename(absolute)}.${randomBytes(4).toString('hex')}.gptoss-tmp`);
}
