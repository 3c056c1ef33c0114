// Reads a unified diff (ours or git's) into files and numbered lines, so the
// diff view can show a header with counts per file and a line-number gutter.
export type FileChange = 'add' | 'update' | 'delete' | 'move';

export type DiffLine =
  | { kind: 'hunk'; text: string }
  | { kind: 'add' | 'remove' | 'context'; text: string; /** Line number in the file it belongs to. */ number: number }
  /** "\ No newline at end of file" */
  | { kind: 'note'; text: string };

export interface DiffFile {
  /** The path shown, "old -> new" for a move. */
  path: string;
  change: FileChange;
  added: number;
  removed: number;
  lines: DiffLine[];
}

interface Building extends DiffFile {
  oldPath?: string;
  newPath?: string;
  /** The "--- " line was read: a further one starts the next file. */
  sawMarkers: boolean;
}

export function parseUnifiedDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: Building | undefined;
  let oldNumber = 0;
  let newNumber = 0;
  // Lines the current hunk still has, so "--- x" inside a hunk is a removed line, not a header.
  let oldLeft = 0;
  let newLeft = 0;
  const inHunk = () => oldLeft > 0 || newLeft > 0;

  const start = (): Building => {
    finish();
    file = { path: '', change: 'update', added: 0, removed: 0, lines: [], sawMarkers: false };
    oldLeft = newLeft = 0;
    return file;
  };
  const finish = () => {
    if (!file) return;
    const oldPath = file.oldPath ?? file.newPath ?? '';
    const newPath = file.newPath ?? oldPath;
    if (file.change === 'update' && oldPath && newPath && oldPath !== newPath) file.change = 'move';
    file.path = file.change === 'move' ? `${oldPath} -> ${newPath}` : file.change === 'delete' ? oldPath : newPath;
    const { oldPath: _o, newPath: _n, sawMarkers: _s, ...done } = file;
    files.push(done);
    file = undefined;
  };

  for (const line of diff.split('\n')) {
    if (!inHunk() && line.startsWith('diff --git ')) {
      const current = start();
      const match = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
      if (match) {
        current.oldPath = match[1]!;
        current.newPath = match[2]!;
      }
      continue;
    }
    if (!inHunk() && line.startsWith('--- ')) {
      const current = file && file.lines.length === 0 && !file.sawMarkers ? file : start();
      current.sawMarkers = true;
      const name = stripPrefix(line.slice(4));
      if (name === undefined) current.change = 'add';
      else current.oldPath = name;
      continue;
    }
    if (!inHunk() && line.startsWith('+++ ') && file) {
      const name = stripPrefix(line.slice(4));
      if (name === undefined) file.change = 'delete';
      else file.newPath = name;
      continue;
    }
    if (!inHunk() && file) {
      if (line.startsWith('new file')) file.change = 'add';
      else if (line.startsWith('deleted file')) file.change = 'delete';
      else if (line.startsWith('rename from ')) file.oldPath = line.slice('rename from '.length);
      else if (line.startsWith('rename to ')) file.newPath = line.slice('rename to '.length);
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && file && !inHunk()) {
      oldLeft = Number(hunk[2] ?? 1);
      newLeft = Number(hunk[4] ?? 1);
      // An empty range names the line before it.
      oldNumber = oldLeft === 0 ? Number(hunk[1]) + 1 : Number(hunk[1]);
      newNumber = newLeft === 0 ? Number(hunk[3]) + 1 : Number(hunk[3]);
      file.lines.push({ kind: 'hunk', text: line });
      continue;
    }
    if (!file) continue;
    if (line.startsWith('\\')) {
      file.lines.push({ kind: 'note', text: line });
      continue;
    }
    if (!inHunk()) continue;
    if (line.startsWith('+') && newLeft > 0) {
      file.added++;
      newLeft--;
      file.lines.push({ kind: 'add', text: line.slice(1), number: newNumber++ });
    } else if (line.startsWith('-') && oldLeft > 0) {
      file.removed++;
      oldLeft--;
      file.lines.push({ kind: 'remove', text: line.slice(1), number: oldNumber++ });
    } else if (line.startsWith(' ') || line === '') {
      // A blank context line may have lost its leading space.
      oldLeft--;
      newLeft--;
      file.lines.push({ kind: 'context', text: line.slice(1), number: newNumber++ });
      oldNumber++;
    } else {
      oldLeft = newLeft = 0;
    }
  }
  finish();
  return files;
}

/** "a/src/x.ts" → "src/x.ts"; "/dev/null" → undefined. */
function stripPrefix(name: string): string | undefined {
  const clean = name.split('\t')[0]!.trim();
  if (clean === '/dev/null') return undefined;
  return clean.replace(/^[ab]\//, '');
}
