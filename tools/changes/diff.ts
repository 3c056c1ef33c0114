// Unified diffs of planned changes, for the approval prompt and the model.
import { structuredPatch } from 'diff';
import type { FileChangeSummary } from '../tool.js';
import type { PlannedChange } from './file-changes.js';

export interface ChangePreview {
  /** Unified diff of every file (git-style headers, 3 lines of context). */
  diff: string;
  files: FileChangeSummary[];
}

/**
 * `original(path)` gives the current text of a file the change updates or deletes.
 */
export function previewChanges(changes: PlannedChange[], original: (path: string) => string): ChangePreview {
  const parts: string[] = [];
  const files: FileChangeSummary[] = [];
  for (const change of changes) {
    const oldText = change.type === 'add' ? '' : original(change.path);
    const newText = change.type === 'delete' ? '' : change.content;
    const newPath = change.type === 'update' && change.moveTo ? change.moveTo : change.path;
    const kind = change.type === 'update' && change.moveTo ? 'move' : change.type;
    const { text, added, removed } = fileDiff(change.path, newPath, oldText, newText, kind);
    parts.push(text);
    files.push({
      path: change.path,
      ...(newPath !== change.path ? { movedTo: newPath } : {}),
      change: kind,
      added,
      removed,
    });
  }
  return { diff: parts.join(''), files };
}

function fileDiff(
  oldPath: string,
  newPath: string,
  oldText: string,
  newText: string,
  kind: FileChangeSummary['change'],
): { text: string; added: number; removed: number } {
  const patch = structuredPatch(
    kind === 'add' ? '/dev/null' : `a/${oldPath}`,
    kind === 'delete' ? '/dev/null' : `b/${newPath}`,
    oldText,
    newText,
    undefined,
    undefined,
    { context: 3 },
  );
  const header = [`diff --git a/${oldPath} b/${newPath}`];
  if (kind === 'add') header.push('new file');
  if (kind === 'delete') header.push('deleted file');
  if (kind === 'move') header.push(`rename from ${oldPath}`, `rename to ${newPath}`);
  const lines = [...header, `--- ${patch.oldFileName}`, `+++ ${patch.newFileName}`];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    // An empty range names the line before it (0 for an empty file), as in git's diffs.
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    lines.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
      lines.push(line);
    }
  }
  return { text: lines.join('\n') + '\n', added, removed };
}
