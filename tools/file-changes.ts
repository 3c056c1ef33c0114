// Applies a set of file changes as one transaction: every new content is
// written to a temporary file beside its target first, then renamed into
// place; if any step fails, every file already touched is put back as it was.
// The bytes each change replaced are returned, for undo and the session's diff.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Workspace } from './workspace.js';
import { ToolError } from './tool.js';

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
  const planned = new Map(writes.map(({ target, change }) => [target.relative, contentHash(change.content)]));
  // Walked once, before anything is written: the journal notes them, undo removes them again.
  const newDirs = new Set<string>();
  for (const { target } of writes) for (const dir of await missingDirs(path.dirname(target.absolute))) newDirs.add(dir);
  const createdDirs = [...newDirs];
  const noted = await noteInJournal(
    workspace,
    writes.map((write) => write.temp),
    createdDirs,
    async () =>
      [...targets.values()].map((target) => ({
        absolute: target.absolute,
        was: before.get(target.relative)!,
        planned: planned.get(target.relative) ?? null,
      })),
  );

  const staged: { temp: string; target: Target }[] = [];
  const committed = new Set<string>();
  try {
    for (const { change, source, target, temp } of writes) {
      await mkdir(path.dirname(target.absolute), { recursive: true });
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
    await restoreFiles(
      [...committed].map((relative) => ({ absolute: targets.get(relative)!.absolute, was: before.get(relative)! })),
    );
    // Those not made yet fail, as do any that hold something: only empty ones go.
    for (const dir of [...createdDirs].reverse()) await rmdir(dir).catch(() => {});
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

/** Puts files back exactly as the snapshots say (undo). */
export async function restoreSnapshots(workspace: Workspace, snapshots: FileSnapshot[]): Promise<void> {
  const items: (Target & { was: FileSnapshot; temp: string })[] = [];
  for (const was of snapshots) {
    const { absolute, relative } = await workspace.resolveForWrite(was.path);
    items.push({ absolute, relative, was, temp: tempPathFor(absolute) });
  }
  const noted = await noteInJournal(
    workspace,
    items.map((item) => item.temp),
    [],
    () =>
      Promise.all(
        items.map(async (item) => ({
          absolute: item.absolute,
          was: await snapshot(item),
          planned: item.was.existed ? contentHash(item.was.bytes ?? '') : null,
        })),
      ),
  );
  try {
    await restoreFiles(items);
  } finally {
    await noted();
  }
}

/**
 * Writes each file back as its snapshot says, bytes and mode, through a temporary
 * file beside it (or removes it if it did not exist): rollback, undo, and the
 * recovery of a set a kill cut off.
 */
export async function restoreFiles(items: { absolute: string; was: FileSnapshot; temp?: string }[]): Promise<void> {
  for (const { absolute, was, temp = tempPathFor(absolute) } of items) {
    if (was.existed) {
      await mkdir(path.dirname(absolute), { recursive: true });
      await writeFile(temp, was.bytes ?? Buffer.alloc(0), { mode: was.mode ?? 0o644 });
      if (was.mode !== undefined) await chmod(temp, was.mode);
      await rename(temp, absolute);
    } else {
      await unlink(absolute).catch(() => {});
    }
  }
}

/** What the journal compares a file's content by. */
export const contentHash = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

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
  /** Called only when there is a journal: undo reads every file for it. */
  files: () => Promise<{ absolute: string; was: FileSnapshot; planned: string | null }[]>,
): Promise<() => Promise<void>> {
  if (!workspace.journal) return async () => {};
  return workspace.journal.begin(
    workspace.root,
    temps,
    dirs,
    (await files()).map(({ absolute, was, planned }) => ({
      path: absolute,
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
