// Turns a parsed patch into planned file changes: resolves every path through
// the workspace guard, reads the files it updates or deletes, and computes
// their new text. Nothing is written; any problem stops the whole patch.
import path from 'node:path';
import { openAnchoredFile, type ReadSeams } from '../workspace/anchored-read.js';
import type { PlannedChange } from '../changes/file-changes.js';
import { ToolError } from '../tool-error.js';
import type { Workspace } from '../workspace/workspace.js';
import { applyHunks } from './apply-hunks.js';
import { patchError, withNothingChanged } from './patch-error.js';
import type { FileOperation, ParsedPatch } from './types.js';

export interface PatchPlan {
  changes: PlannedChange[];
  /** Current text of each file the plan updates or deletes, keyed by the change's path. */
  originals: Map<string, string>;
}

/** `seams` lets tests change the tree between the guard's check of a path and the read of its file. */
export async function planPatch(patch: ParsedPatch, workspace: Workspace, seams: ReadSeams = {}): Promise<PatchPlan> {
  const readText = (resolved: { absolute: string; relative: string }) => readFileText(workspace, resolved, seams);
  const changes: PlannedChange[] = [];
  const originals = new Map<string, string>();
  const claimed = new Map<string, string>();
  const claim = async (requested: string, role: string) => {
    const resolved = await guard(() => workspace.resolveForWrite(requested));
    const earlier = claimed.get(resolved.relative);
    if (earlier) {
      throw patchError(
        `${resolved.relative} appears twice in the patch (${earlier}, then ${role}).`,
        'Give each file one section: put all of its hunks under a single "*** Update File:" header.',
      );
    }
    claimed.set(resolved.relative, role);
    return resolved;
  };

  for (const operation of patch.operations) {
    const source = await claim(operation.path, sectionName(operation));
    const current = await readText(source);
    if (operation.type === 'add') {
      if (current !== undefined) {
        throw patchError(
          `Cannot add ${source.relative}: it already exists.`,
          `To change it, read it with read_file and use "*** Update File: ${source.relative}" with hunks.`,
        );
      }
      changes.push({
        type: 'add',
        path: source.relative,
        content: operation.lines.map((line) => `${line}\n`).join(''),
      });
      continue;
    }
    if (current === undefined) {
      throw patchError(
        `Cannot ${operation.type} ${source.relative}: there is no such file.`,
        operation.type === 'update'
          ? `Check the path with list_files, or use "*** Add File: ${source.relative}" to create it.`
          : 'Check the path with list_files.',
      );
    }
    originals.set(source.relative, current);
    if (operation.type === 'delete') {
      changes.push({ type: 'delete', path: source.relative, base: current });
      continue;
    }
    const content = applyHunks(source.relative, current, operation.hunks);
    let moveTo: string | undefined;
    if (operation.moveTo !== undefined) {
      const destination = await guard(() => workspace.resolveForWrite(operation.moveTo!));
      if (destination.relative !== source.relative) {
        await claim(operation.moveTo, `"*** Move to: ${operation.moveTo}"`);
        if ((await readText(destination)) !== undefined) {
          throw patchError(
            `Cannot move ${source.relative} to ${destination.relative}: ${destination.relative} already exists.`,
            'Choose another destination, or delete or update that file instead.',
          );
        }
        moveTo = destination.relative;
      }
    }
    // The text it was computed from: the write refuses if the file holds anything else by then.
    changes.push({ type: 'update', path: source.relative, content, base: current, ...(moveTo ? { moveTo } : {}) });
  }
  return { changes, originals };
}

/**
 * Refuses to write over a file that changed since the plan read it (the user
 * may edit while the approval prompt is open): the new text was computed from
 * the old one and would silently undo their edit.
 */
export async function assertPlanIsCurrent(plan: PatchPlan, workspace: Workspace): Promise<void> {
  for (const [path, original] of plan.originals) {
    const resolved = await guard(() => workspace.resolveForWrite(path));
    const now = await readFileText(workspace, resolved).catch(() => undefined);
    if (now !== original) {
      throw patchError(
        `${resolved.relative} changed while the patch was waiting for approval.`,
        'Re-read it with read_file and make a new patch against its current text.',
      );
    }
  }
}

function sectionName(operation: FileOperation): string {
  const header = { add: 'Add File', delete: 'Delete File', update: 'Update File' }[operation.type];
  return `"*** ${header}: ${operation.path}"`;
}

/** Workspace refusals, worded for the patch. */
async function guard<T>(resolve: () => Promise<T>): Promise<T> {
  try {
    return await resolve();
  } catch (error) {
    if (error instanceof ToolError) throw withNothingChanged(error.message);
    throw error;
  }
}

/**
 * The file's text, undefined when it does not exist; refuses what a patch cannot
 * edit. Read through its directory held open, never through a link.
 */
async function readFileText(
  workspace: Workspace,
  { absolute, relative }: { absolute: string; relative: string },
  seams: ReadSeams = {},
): Promise<string | undefined> {
  const handle = await openAnchoredFile(workspace.root, path.relative(workspace.root, absolute), seams).catch(
    (error: unknown) => {
      if (error instanceof ToolError) throw withNothingChanged(error.message);
      throw error;
    },
  );
  if (!handle) return undefined;
  let bytes: Buffer;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw patchError(
        `${relative} is not a regular file (it is a ${stats.isDirectory() ? 'directory' : 'special file'}).`,
      );
    }
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  if (bytes.includes(0)) throw patchError(`${relative} is a binary file; apply_patch only edits text files.`);
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) {
    throw patchError(`${relative} is not valid UTF-8 text; apply_patch cannot edit it without damaging it.`);
  }
  return text;
}
