// What this session changed: the files as they were before the session's
// first change to each, against the files as they are now. Reading "now"
// from disk keeps /diff true after /undo or an edit by hand.
import { readFile } from 'node:fs/promises';
import { previewChanges, type ChangePreview } from '../../tools/changes/diff.js';
import type { AppliedChangeSet, FileSnapshot, PlannedChange } from '../../tools/changes/file-changes.js';
import type { Workspace } from '../../tools/workspace/workspace.js';

export class SessionChanges {
  private readonly before = new Map<string, FileSnapshot>();

  record(set: AppliedChangeSet): void {
    for (const snapshot of set.before) if (!this.before.has(snapshot.path)) this.before.set(snapshot.path, snapshot);
  }

  /** The net diff of the session; files changed and changed back drop out. */
  async diff(workspace: Workspace): Promise<ChangePreview> {
    const pairs = [];
    for (const before of this.before.values()) pairs.push({ before, after: await current(workspace, before.path) });
    return diffSnapshots(pairs);
  }
}

/** The diff of one applied change set. */
export function changeSetDiff(set: AppliedChangeSet): ChangePreview {
  const before = new Map(set.before.map((snapshot) => [snapshot.path, snapshot]));
  return diffSnapshots(set.after.map((after) => ({ before: before.get(after.path)!, after })));
}

async function current(workspace: Workspace, path: string): Promise<FileSnapshot> {
  try {
    const { absolute } = await workspace.resolveForRead(path);
    return { path, existed: true, bytes: await readFile(absolute) };
  } catch {
    return { path, existed: false };
  }
}

function diffSnapshots(pairs: { before: FileSnapshot; after: FileSnapshot }[]): ChangePreview {
  const changes: PlannedChange[] = [];
  const originals = new Map<string, string>();
  for (const { before, after } of pairs) {
    if (!before.existed && !after.existed) continue;
    if (before.existed && after.existed && before.bytes?.equals(after.bytes ?? Buffer.alloc(0))) continue;
    const text = (snapshot: FileSnapshot) => snapshot.bytes?.toString('utf8') ?? '';
    if (before.existed) originals.set(before.path, text(before));
    if (!before.existed) changes.push({ type: 'add', path: after.path, content: text(after) });
    else if (!after.existed) changes.push({ type: 'delete', path: before.path });
    else changes.push({ type: 'update', path: after.path, content: text(after) });
  }
  return previewChanges(changes, (path) => originals.get(path) ?? '');
}
