// The paths the model has been working on in this session, most recent
// first: what its tool calls read, searched or changed. Tools get them
// (ToolContext.recentPaths) to rank results near the work first.
import type { AppliedChangeSet } from '../../tools/changes/file-changes.js';

/** Paths remembered; older ones fall off. */
const REMEMBERED = 8;

export class WorkingSet {
  private paths: string[] = [];

  /** The `path` and `file` arguments of a call that succeeded. */
  noteCall(args: unknown): void {
    if (!args || typeof args !== 'object') return;
    const { path, file } = args as { path?: unknown; file?: unknown };
    for (const value of [file, path]) if (typeof value === 'string') this.note(value);
  }

  /** The files an edit changed (their new paths, for moves). */
  noteChanges(changes: AppliedChangeSet): void {
    for (const snapshot of changes.after) if (snapshot.existed) this.note(snapshot.path);
  }

  recent(): readonly string[] {
    return [...this.paths];
  }

  private note(raw: string): void {
    const path = raw
      .trim()
      .replace(/^(\.\/)+/, '')
      .replace(/\/+$/, '');
    if (path === '' || path === '.') return;
    this.paths = [path, ...this.paths.filter((known) => known !== path)].slice(0, REMEMBERED);
  }
}
