// Applies a set of file changes as one transaction: every new content is
// written to a temporary file beside its target first, then renamed into
// place; if any step fails, every file already touched is put back as it was.
// The bytes each change replaced are returned, for undo and the session's diff.
//
// The guard checks names; the files are then reached through directories held
// open (tools/workspace/anchored-dir.ts), so a component swapped for a symbolic link in
// between cannot send a write, or a temporary file, outside the repository.
// While the set is compared with the bytes it was computed from and written,
// the workspace's write lock keeps every other agent process out.
import { createHash, randomBytes } from 'node:crypto';
import { constants, lstatSync } from 'node:fs';
import { open, rename, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { openAnchoredDir, type AnchoredDir } from '../workspace/anchored-dir.js';
import type { Workspace } from '../workspace/workspace.js';
import { ToolError } from '../tool-error.js';

/**
 * `base` is what the change was computed from (the file's text or bytes when it
 * was read): the write is refused if the file holds anything else by then.
 */
export type PlannedChange =
  | { type: 'add'; path: string; content: string }
  | { type: 'update'; path: string; content: string; moveTo?: string; base?: string | Buffer }
  | { type: 'delete'; path: string; base?: string | Buffer };

/** The file is no longer what the change was computed from. */
export class StaleFileError extends ToolError {
  override name = 'StaleFileError';
}

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
  /** Runs once every path passed the guard, before any file is opened (where tests change the tree). */
  checked?(): Promise<void>;
  /** Runs when a rollback has written a file's old bytes to its temporary file, before the rename (tests kill there). */
  restoring?: RestoringStep;
}

/** Called between writing a file's old bytes to a temporary file and renaming it into place. */
export type RestoringStep = () => Promise<void>;

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
  const resolved: { change: PlannedChange; source: Target; destination: Target | undefined }[] = [];
  for (const change of changes) {
    const source = await resolve(change.path);
    const destination = change.type === 'update' && change.moveTo ? await resolve(change.moveTo) : undefined;
    resolved.push({ change, source, destination });
  }

  await steps.checked?.();
  return withWriteLock(workspace, async () => {
    const dirs = new DirCache(workspace.root);
    try {
      return await commit(workspace, dirs, changes, resolved, targets, steps);
    } finally {
      await dirs.closeAll();
    }
  });
}

async function commit(
  workspace: Workspace,
  dirs: DirCache,
  changes: PlannedChange[],
  resolved: { change: PlannedChange; source: Target; destination: Target | undefined }[],
  targets: Map<string, Target>,
  steps: CommitSteps,
): Promise<AppliedChangeSet> {
  const before = new Map<string, FileSnapshot>();
  for (const target of targets.values()) before.set(target.relative, await dirs.snapshot(target));

  for (const { change, source, destination } of resolved) {
    const existing = before.get(source.relative)!;
    if (change.type === 'add' && existing.existed) {
      throw new StaleFileError(
        `Cannot add ${source.relative}: it already exists. Use "*** Update File:" to change it.`,
      );
    }
    if (change.type !== 'add' && !existing.existed) {
      throw new StaleFileError(`Cannot ${change.type} ${source.relative}: no such file.`);
    }
    if (change.type !== 'add' && change.base !== undefined && !existing.bytes!.equals(Buffer.from(change.base))) {
      throw new StaleFileError(
        `${source.relative} changed after this change was computed from it (another agent, a command or an ` +
          'editor wrote it meanwhile), so writing it would undo that edit. ' +
          `Re-read ${source.relative} with read_file and make the change again against its current text.`,
      );
    }
    if (destination && destination.relative !== source.relative && before.get(destination.relative)!.existed) {
      throw new StaleFileError(
        `Cannot move ${source.relative} to ${destination.relative}: the destination already exists.`,
      );
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
  for (const { target } of writes) for (const dir of missingDirs(path.dirname(target.absolute))) newDirs.add(dir);
  const createdDirs = [...newDirs];
  // A rollback writes each touched file back through a temporary file too; named now, so a kill during it leaves
  // nothing the note does not name (the next start removes what a note names, and walks the tree only once).
  const rollbackTemps = new Map([...targets.values()].map((target) => [target.relative, tempPathFor(target.absolute)]));
  const noted = await noteInJournal(
    workspace,
    [...writes.map((write) => write.temp), ...rollbackTemps.values()],
    createdDirs,
    async () =>
      [...targets.values()].map((target) => ({
        absolute: target.absolute,
        was: before.get(target.relative)!,
        planned: planned.get(target.relative) ?? null,
      })),
  );

  const staged: { temp: string; target: Target; dir: AnchoredDir }[] = [];
  const committed = new Set<string>();
  // Cleared when the rollback itself fails: the note is then handed on, and the next start puts the files back.
  let settled = true;
  try {
    for (const { change, source, target, temp } of writes) {
      // Only a directory found missing above is made: one that vanished since is not recreated.
      const dir = await dirs.open(path.dirname(target.relative), newDirs.has(path.dirname(target.absolute)));
      await writeNew(dir.entry(path.basename(temp)), change.content, before.get(source.relative)!.mode);
      staged.push({ temp, target, dir });
    }
    let next = 0;
    for (const { change, source, destination } of resolved) {
      if (change.type === 'delete') {
        committed.add(source.relative);
        await steps.unlink(await dirs.entry(source));
        continue;
      }
      const { temp, target, dir } = staged[next++]!;
      committed.add(target.relative);
      await steps.rename(dir.entry(path.basename(temp)), dir.entry(path.basename(target.relative)));
      if (destination && destination.relative !== source.relative) {
        committed.add(source.relative);
        await steps.unlink(await dirs.entry(source));
      }
    }
  } catch (error) {
    await Promise.all(staged.map(({ temp, dir }) => unlink(dir.entry(path.basename(temp))).catch(() => {})));
    try {
      await restoreIn(
        dirs,
        [...committed].map((relative) => ({
          relative,
          was: before.get(relative)!,
          temp: rollbackTemps.get(relative)!,
        })),
        steps.restoring,
      );
    } catch (restoreError) {
      settled = false;
      throw new ToolError(
        `Writing the change failed (${(error as Error).message}), and putting back the files it had already ` +
          `changed failed too (${(restoreError as Error).message}): ${failedPaths(restoreError, committed)} may hold the ` +
          'new text. Free some disk space; the next start of gptoss-agent in this repository puts them back as ' +
          'they were.',
      );
    }
    // Those not made yet fail, as do any that hold something: only empty ones go.
    for (const dir of [...createdDirs].reverse()) await removeEmptyDir(dirs, workspace.relative(dir));
    if (error instanceof ToolError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const next =
      code === 'ENOSPC' || code === 'EDQUOT'
        ? '. The disk (or your quota) is full: free some space, then make the change again.'
        : '';
    throw new ToolError(`Writing the change failed and nothing was changed: ${(error as Error).message}${next}`);
  } finally {
    await noted(settled ? undefined : 'abandon');
  }

  const after: FileSnapshot[] = [];
  for (const target of targets.values()) after.push(await dirs.snapshot(target));
  return {
    changes,
    before: [...before.values()],
    after,
    createdDirs: createdDirs.map((dir) => workspace.relative(dir)),
  };
}

/**
 * Puts files back exactly as the snapshots say (undo). With `expected`, each file
 * must still be as that says (what undo checked), else nothing is written.
 */
export async function restoreSnapshots(
  workspace: Workspace,
  snapshots: FileSnapshot[],
  expected?: FileSnapshot[],
): Promise<void> {
  const items: (Target & { was: FileSnapshot; temp: string })[] = [];
  for (const was of snapshots) {
    const { absolute, relative } = await workspace.resolveForWrite(was.path);
    items.push({ absolute, relative, was, temp: tempPathFor(absolute) });
  }
  await withWriteLock(workspace, async () => {
    const dirs = new DirCache(workspace.root);
    try {
      const current = await Promise.all(items.map((item) => dirs.snapshot(item)));
      for (const want of expected ?? []) {
        const index = items.findIndex((item) => item.relative === want.path);
        if (index >= 0 && !sameContent(current[index]!, want)) {
          throw new StaleFileError(
            `${want.path} changed while the undo was being prepared. Nothing was undone; look at it and try again.`,
          );
        }
      }
      const noted = await noteInJournal(
        workspace,
        items.map((item) => item.temp),
        [],
        async () =>
          items.map((item, index) => ({
            absolute: item.absolute,
            was: current[index]!,
            planned: item.was.existed ? contentHash(item.was.bytes ?? '') : null,
          })),
      );
      try {
        await restoreIn(dirs, items);
      } finally {
        await noted();
      }
    } finally {
      await dirs.closeAll();
    }
  });
}

/**
 * Writes each file back as its snapshot says, bytes and mode, through a temporary
 * file beside it (or removes it if it did not exist): rollback, undo, and the
 * recovery of a set a kill cut off. Paths are absolute, inside `root`.
 */
export async function restoreFiles(
  root: string,
  items: { absolute: string; was: FileSnapshot; temp?: string }[],
  restoring?: RestoringStep,
): Promise<void> {
  const dirs = new DirCache(root);
  try {
    await restoreIn(
      dirs,
      items.map((item) => ({
        relative: path.relative(root, item.absolute),
        was: item.was,
        ...(item.temp ? { temp: item.temp } : {}),
      })),
      restoring,
    );
  } finally {
    await dirs.closeAll();
  }
}

async function restoreIn(
  dirs: DirCache,
  items: { relative: string; was: FileSnapshot; temp?: string }[],
  restoring?: RestoringStep,
): Promise<void> {
  // Every file is tried, also after one failed (a full disk may fit the next); the first failure is reported.
  let failure: unknown;
  const failed: string[] = [];
  for (const { relative, was, temp } of items) {
    const name = path.basename(relative);
    try {
      if (was.existed) {
        const dir = await dirs.open(path.dirname(relative), true);
        const tempName = path.basename(temp ?? tempPathFor(relative));
        await writeNew(dir.entry(tempName), was.bytes ?? Buffer.alloc(0), was.mode);
        await restoring?.();
        await rename(dir.entry(tempName), dir.entry(name)).catch(async (error: unknown) => {
          await unlink(dir.entry(tempName)).catch(() => {});
          throw error;
        });
      } else {
        const dir = await dirs.open(path.dirname(relative), false).catch(() => undefined);
        if (dir) await unlink(dir.entry(name)).catch(() => {});
      }
    } catch (error) {
      failure ??= error;
      failed.push(relative);
    }
  }
  if (failure !== undefined) throw new RestoreError((failure as Error).message, failed);
}

/** Putting files back failed for `failed` (relative paths); the message is the first failure's. */
class RestoreError extends Error {
  constructor(
    message: string,
    readonly failed: string[],
  ) {
    super(message);
  }
}

const failedPaths = (error: unknown, all: Set<string>): string =>
  (error instanceof RestoreError ? error.failed : [...all]).join(', ');

/** What the journal compares a file's content by. */
export const contentHash = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

function sameContent(a: FileSnapshot, b: FileSnapshot): boolean {
  if (a.existed !== b.existed) return false;
  return !a.existed || (a.bytes ?? Buffer.alloc(0)).equals(b.bytes ?? Buffer.alloc(0));
}

/** The inter-process lock when the workspace has one (every mode's does; some tests' do not). */
function withWriteLock<T>(workspace: Workspace, work: () => Promise<T>): Promise<T> {
  return workspace.writeLock ? workspace.writeLock.hold(workspace.root, work) : work();
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// Non-blocking: opening a FIFO planted under the name must not hang the agent.
const READ_FLAGS = constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0);
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;

/** Creates a new file (never through a link, never over one) holding `content` with exactly `mode`. */
async function writeNew(entry: string, content: string | Buffer, mode: number | undefined): Promise<void> {
  const handle = await open(entry, CREATE_FLAGS, mode ?? 0o644);
  try {
    await handle.writeFile(content);
    // The mode given to open passes through the umask; an existing file keeps its exact bits.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.close();
  } catch (error) {
    // A full disk or quota: the part written must not stay behind. The name is ours (O_EXCL made it).
    await handle.close().catch(() => {});
    await unlink(entry).catch(() => {});
    throw error;
  }
}

/** The directories of one operation, each opened once and closed at the end. */
class DirCache {
  private readonly open_ = new Map<string, Promise<AnchoredDir>>();
  constructor(private readonly root: string) {}

  open(relativeDir: string, create: boolean): Promise<AnchoredDir> {
    const key = relativeDir === '' ? '.' : relativeDir;
    const cached = this.open_.get(key);
    if (cached) return cached;
    const opening = openAnchoredDir(this.root, key, { create });
    // A failed open (missing, not created) is not remembered: a later create may make it.
    opening.catch(() => this.open_.delete(key));
    this.open_.set(key, opening);
    return opening;
  }

  async entry(target: { relative: string }): Promise<string> {
    return (await this.open(path.dirname(target.relative), false)).entry(path.basename(target.relative));
  }

  /** The file as it is now, read without following a link at any step. */
  async snapshot(target: { relative: string }): Promise<FileSnapshot> {
    const missing = { path: target.relative, existed: false };
    let dir: AnchoredDir;
    try {
      dir = await this.open(path.dirname(target.relative), false);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return missing;
      throw error;
    }
    let handle;
    try {
      handle = await open(dir.entry(path.basename(target.relative)), READ_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return missing;
      if (code === 'ELOOP') throw notRegular(target.relative);
      throw error;
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw notRegular(target.relative);
      return { path: target.relative, existed: true, bytes: await handle.readFile(), mode: stats.mode & 0o7777 };
    } finally {
      await handle.close();
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.open_.values()];
    this.open_.clear();
    await Promise.all(all.map((opening) => opening.then((dir) => dir.close()).catch(() => {})));
  }
}

const notRegular = (relative: string) =>
  new ToolError(`${relative} is not a regular file; the agent only edits regular files.`);

/** Removes those of `relativeDirs` that are empty, innermost first (undo of created directories), never through a link. */
export async function removeEmptyDirs(workspace: Workspace, relativeDirs: readonly string[]): Promise<void> {
  const dirs = new DirCache(workspace.root);
  try {
    for (const dir of [...relativeDirs].reverse()) {
      // Through the guard first: a name from a session log is as untrusted as one from the model.
      const resolved = await workspace.resolveForWrite(dir).catch(() => undefined);
      if (resolved) await removeEmptyDir(dirs, resolved.relative);
    }
  } finally {
    await dirs.closeAll();
  }
}

async function removeEmptyDir(dirs: DirCache, relative: string): Promise<void> {
  const parent = await dirs.open(path.dirname(relative), false).catch(() => undefined);
  if (parent) await rmdir(parent.entry(path.basename(relative))).catch(() => {});
}

/** `dir` and those of its parents that do not exist, outermost first (what the journal notes). */
function missingDirs(dir: string): string[] {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      lstatSync(current);
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
): Promise<(outcome?: 'abandon') => Promise<void>> {
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

/**
 * A temporary file's path beside `absolute`. The name is short and fixed in
 * length whatever the target is called (a 255-byte name must still get one
 * within NAME_MAX) and matches TEMP_NAME, which is how recovery knows our own.
 */
function tempPathFor(absolute: string): string {
  return tempPathNamed(absolute, randomBytes(8).toString('hex'));
}

/** The temporary file beside `absolute` with these 16 hex digits (recovery derives them from its note). */
export function tempPathNamed(absolute: string, hex16: string): string {
  return path.join(path.dirname(absolute), `.${hex16}.gptoss-tmp`);
}

/** Names of the temporary files this module makes (and, second, those earlier versions made). */
const TEMP_NAMES = [/^\.[0-9a-f]{16}\.gptoss-tmp$/, /^\..+\.[0-9a-f]{8}\.gptoss-tmp$/];

/** Whether a file name is one of our temporary files: never true for a name we would not have made. */
export const isTempName = (name: string): boolean => TEMP_NAMES.some((pattern) => pattern.test(name));
