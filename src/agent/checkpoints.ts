// Undo: every change set the agent applied is kept as a checkpoint with the
// bytes and modes of each file before and after. Undoing the last n sets puts
// every file back as it was before the oldest of them, but only when each
// file is still exactly what the agent left; a file edited by hand since is
// a conflict, shown as a diff, and then nothing is touched. Only files in the
// working tree change: never the git index, the stash or a branch.
import { createTwoFilesPatch } from 'diff';
import { binaryReason } from '../../tools/files/binary-sniff.js';
import { formatBytes } from '../../tools/text/format-bytes.js';
import { readAnchoredBytes } from '../../tools/workspace/anchored-read.js';
import { previewChanges } from '../../tools/changes/diff.js';
import {
  removeEmptyDirs,
  restoreSnapshots,
  StaleFileError,
  type AppliedChangeSet,
  type FileSnapshot,
  type PlannedChange,
} from '../../tools/changes/file-changes.js';
import type { FileChangeSummary } from '../../tools/tool.js';
import type { Workspace } from '../../tools/workspace/workspace.js';

/** A file as the checkpoint saw it; the bytes are in the blob store. */
export interface StoredSnapshot {
  path: string;
  existed: boolean;
  mode?: number;
  blob?: string;
}

export interface Checkpoint {
  /** 1, 2, 3… in the order the changes were applied. */
  id: number;
  /** ISO time the change was applied. */
  at: string;
  /** The tool call that made the change, when known. */
  toolCallId?: string;
  files: Pick<FileChangeSummary, 'path' | 'movedTo' | 'change'>[];
  before: StoredSnapshot[];
  after: StoredSnapshot[];
  /** Directories the change created, outermost first. */
  createdDirs: string[];
}

export type BlobReader = (blob: string) => Buffer;

/** A file as undo finds it now; `refused`: something is there that undo does not read, and so never replaces. */
type CurrentSnapshot = FileSnapshot & { refused?: string };

/** The most undo reads of a file to compare it: far above any file edited by patch; a larger one is a conflict. */
const MAX_CURRENT_BYTES = 64 * 1024 * 1024;

export interface UndoConflict {
  path: string;
  /** What differs, in words. */
  reason: string;
  /** Unified diff from what the agent left to what is there now. */
  diff: string;
}

export type UndoOutcome =
  | {
      ok: true;
      undone: Checkpoint[];
      /** Unified diff of what the undo changed. */
      diff: string;
      files: FileChangeSummary[];
    }
  | { ok: false; message: string; conflicts: UndoConflict[] };

/** A checkpoint from an applied change set; `store` keeps the bytes and names them. */
export function checkpointOf(
  set: AppliedChangeSet,
  id: number,
  at: string,
  store: (bytes: Buffer) => string,
  toolCallId?: string,
): Checkpoint {
  const stored = (snapshot: FileSnapshot): StoredSnapshot => ({
    path: snapshot.path,
    existed: snapshot.existed,
    ...(snapshot.mode !== undefined ? { mode: snapshot.mode } : {}),
    ...(snapshot.existed ? { blob: store(snapshot.bytes ?? Buffer.alloc(0)) } : {}),
  });
  return {
    id,
    at,
    ...(toolCallId ? { toolCallId } : {}),
    files: set.changes.map((change) =>
      change.type === 'update' && change.moveTo
        ? { path: change.path, movedTo: change.moveTo, change: 'move' as const }
        : { path: change.path, change: change.type },
    ),
    before: set.before.map(stored),
    after: set.after.map(stored),
    createdDirs: set.createdDirs,
  };
}

/**
 * Reverts `checkpoints` (oldest first; the caller picks the last n). Checks
 * every file against what the agent left before changing anything.
 */
export async function undoCheckpoints(
  workspace: Workspace,
  checkpoints: readonly Checkpoint[],
  readBlob: BlobReader,
): Promise<UndoOutcome> {
  const load = (snapshot: StoredSnapshot): FileSnapshot => ({
    path: snapshot.path,
    existed: snapshot.existed,
    ...(snapshot.mode !== undefined ? { mode: snapshot.mode } : {}),
    ...(snapshot.blob ? { bytes: readBlob(snapshot.blob) } : {}),
  });

  // Walk back from the newest change: each file must be what that change left,
  // on disk for the newest, and for older ones what the next change found.
  const current = new Map<string, CurrentSnapshot>();
  const onDisk = new Map<string, CurrentSnapshot>();
  const conflicts: UndoConflict[] = [];
  for (const checkpoint of [...checkpoints].reverse()) {
    const before = new Map(checkpoint.before.map((s) => [s.path, s]));
    for (const stored of checkpoint.after) {
      const expected = load(stored);
      let actual = current.get(stored.path);
      if (!actual) {
        actual = await readSnapshot(workspace, stored.path);
        onDisk.set(stored.path, actual);
      }
      const reason = difference(expected, actual);
      if (reason) conflicts.push({ path: stored.path, reason, diff: snapshotDiff(stored.path, expected, actual) });
      current.set(stored.path, load(before.get(stored.path) ?? { path: stored.path, existed: false }));
    }
  }
  if (conflicts.length > 0) {
    const paths = [...new Set(conflicts.map((c) => c.path))];
    return {
      ok: false,
      conflicts,
      message:
        `Nothing was undone: ${paths.join(', ')} changed after the agent's edit (by hand or another tool). ` +
        'Undo only restores files that are exactly as the agent left them; revert your own edits first, ' +
        'or undo fewer changes.',
    };
  }

  const targets = [...current.values()];
  const preview = previewChanges(
    targets.flatMap((target) => plannedRevert(target, onDisk.get(target.path)!)),
    (file) => textOf(onDisk.get(file)!),
  );
  try {
    // Checked again under the write lock: a file written since the check above is not overwritten.
    await restoreSnapshots(workspace, targets, [...onDisk.values()]);
  } catch (error) {
    if (error instanceof StaleFileError) return { ok: false, conflicts: [], message: error.message };
    await restoreSnapshots(workspace, [...onDisk.values()]).catch(() => {});
    return {
      ok: false,
      conflicts: [],
      message: `Undo failed and the files were put back as they were: ${(error as Error).message}`,
    };
  }
  for (const checkpoint of [...checkpoints].reverse()) await removeEmptyDirs(workspace, checkpoint.createdDirs);
  return { ok: true, undone: [...checkpoints], diff: preview.diff, files: preview.files };
}

/** What tells the model about an undo it did not do itself. */
export function undoNote(undone: readonly Checkpoint[]): string {
  const files = [...new Set(undone.flatMap((c) => c.files.map((f) => f.movedTo ?? f.path)))];
  return (
    `[The user undid ${undone.length === 1 ? 'your last change' : `your last ${undone.length} changes`} ` +
    `(${files.join(', ')}). Those files are back as they were before; read them again before changing them.]`
  );
}

function difference(expected: FileSnapshot, actual: CurrentSnapshot): string | undefined {
  if (actual.refused) return actual.refused;
  if (expected.existed !== actual.existed) return expected.existed ? 'deleted since' : 'created since';
  if (!expected.existed) return undefined;
  if (!expected.bytes!.equals(actual.bytes!)) return 'edited since';
  if (expected.mode !== undefined && actual.mode !== expected.mode) {
    return `mode changed since (${octal(expected.mode)} → ${octal(actual.mode)})`;
  }
  return undefined;
}

/**
 * The file at `relative` as it is now, read through directories held open, never
 * through a link, never waiting on a FIFO, never past MAX_CURRENT_BYTES: a
 * sandboxed command may have put anything there. What cannot be read so is
 * refused, which makes it a conflict: undo never overwrites or deletes it.
 */
async function readSnapshot(workspace: Workspace, relative: string): Promise<CurrentSnapshot> {
  const refused = (why: string): CurrentSnapshot => ({ path: relative, existed: true, refused: why });
  const behindLink = refused('replaced since by a symbolic link, or now lies behind one');
  // Through the guard first: a name from a session log is as untrusted as one from the model.
  const resolved = await workspace.resolveForWrite(relative).catch(() => undefined);
  if (!resolved || resolved.relative !== relative) return behindLink;
  const file = await readAnchoredBytes(workspace.root, relative, MAX_CURRENT_BYTES);
  switch (file.kind) {
    case 'missing':
      return { path: relative, existed: false };
    case 'read':
      return { path: relative, existed: true, bytes: file.bytes, mode: file.stats.mode & 0o7777 };
  }
  switch (file.reason) {
    case 'link':
      return behindLink;
    case 'not-a-file':
      return refused('replaced since by something that is not a regular file (a FIFO, device…)');
    case 'too-large':
      return refused(`grown since to over ${formatBytes(MAX_CURRENT_BYTES)}`);
    case 'growing':
      return refused('still being written');
    case 'unopenable':
      return refused('could not be opened to compare');
    case 'unreadable':
      return refused('could not be read to compare');
  }
}

/** The revert of one file as a planned change, for the diff the user sees. */
function plannedRevert(target: FileSnapshot, now: FileSnapshot): PlannedChange[] {
  if (!difference(target, now)) return [];
  if (!target.existed) return [{ type: 'delete', path: target.path }];
  return [{ type: now.existed ? 'update' : 'add', path: target.path, content: textOf(target) }];
}

function snapshotDiff(file: string, expected: FileSnapshot, actual: FileSnapshot): string {
  return createTwoFilesPatch(
    expected.existed ? `a/${file}` : '/dev/null',
    actual.existed ? `b/${file}` : '/dev/null',
    textOf(expected),
    textOf(actual),
    'as the agent left it',
    'now',
  );
}

function textOf(snapshot: CurrentSnapshot): string {
  if (snapshot.refused) return `(not read: ${snapshot.refused})\n`;
  if (!snapshot.existed || !snapshot.bytes) return '';
  return binaryReason(snapshot.bytes, true)
    ? `(binary, ${snapshot.bytes.length} bytes)\n`
    : snapshot.bytes.toString('utf8');
}

function octal(mode: number | undefined): string {
  return mode === undefined ? 'none' : `0${mode.toString(8)}`;
}
