// Every change this session applied, kept as the first "before" and the
// last "after" of each file, so /diff shows the net effect of the session
// (and undo has what it needs to put files back).
import { previewChanges, type ChangePreview } from '../../tools/diff.js';
import type { AppliedChangeSet, FileSnapshot, PlannedChange } from '../../tools/file-changes.js';

export class SessionChanges {
  private readonly before = new Map<string, FileSnapshot>();
  private readonly after = new Map<string, FileSnapshot>();

  record(set: AppliedChangeSet): void {
    for (const snapshot of set.before) if (!this.before.has(snapshot.path)) this.before.set(snapshot.path, snapshot);
    for (const snapshot of set.after) this.after.set(snapshot.path, snapshot);
  }

  /** The net diff of the session; files changed and changed back drop out. */
  diff(): ChangePreview {
    return diffSnapshots([...this.after.values()].map((after) => ({ before: this.before.get(after.path)!, after })));
  }
}

/** The diff of one applied change set. */
export function changeSetDiff(set: AppliedChangeSet): ChangePreview {
  const before = new Map(set.before.map((snapshot) => [snapshot.path, snapshot]));
  return diffSnapshots(set.after.map((after) => ({ before: before.get(after.path)!, after })));
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
