// What a session changed, net: each file as it was before the first change
// the agent applied to it, compared with the file as it is at the end (so a
// file patched twice, or patched and put back, counts once, or not at all).
import { diffLines } from 'diff';
import type { AppliedChangeSet } from '../../tools/changes/file-changes.js';
import { readAnchoredText } from '../../tools/workspace/anchored-read.js';
import type { FileDiffstat } from './events.js';

/** The most read of one file to count its lines: far above any file edited by patch. */
const MAX_TALLY_BYTES = 64 * 1024 * 1024;

export class ChangeTally {
  /** Path → the text before the session touched it (undefined: the file did not exist). */
  private readonly originals = new Map<string, string | undefined>();

  /** For AgentOptions.onChangesApplied. */
  readonly record = (applied: AppliedChangeSet): void => {
    for (const snapshot of applied.before) {
      if (this.originals.has(snapshot.path)) continue;
      this.originals.set(snapshot.path, snapshot.existed ? (snapshot.bytes?.toString('utf8') ?? '') : undefined);
    }
  };

  /**
   * Lines added and removed per file since the session began, files that ended unchanged left out.
   * Files are read through directories held open, never through a link and never waiting on a FIFO (a
   * sandboxed command may have put one there); what cannot be read so counts as gone, like a deleted file.
   */
  async diffstat(root: string): Promise<FileDiffstat[]> {
    const stats: FileDiffstat[] = [];
    for (const [file, before] of [...this.originals].sort(([a], [b]) => a.localeCompare(b))) {
      const after = await readAnchoredText(root, file, MAX_TALLY_BYTES);
      if (after === before) continue;
      let added = 0;
      let removed = 0;
      for (const part of diffLines(before ?? '', after ?? '')) {
        if (part.added) added += part.count ?? 0;
        else if (part.removed) removed += part.count ?? 0;
      }
      stats.push({ path: file, added, removed });
    }
    return stats;
  }
}
