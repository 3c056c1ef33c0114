// Reads git's unified diff (`git diff`, `git show`) into files, hunks and
// numbered lines: what changed, where it sits in the new version, and
// which files were added, deleted, renamed or binary.

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';

export interface DiffLine {
  kind: 'add' | 'remove' | 'context';
  text: string;
  /** Line number in the old version (remove and context lines). */
  oldLine?: number;
  /** Line number in the new version (add and context lines). */
  newLine?: number;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The text git prints after the second @@: the enclosing function or class, when it found one. */
  section: string;
  lines: DiffLine[];
}

export interface FileDiff {
  /** Path in the old version; undefined for an added file. */
  oldPath?: string;
  /** Path in the new version; undefined for a deleted file. */
  newPath?: string;
  status: FileStatus;
  binary: boolean;
  /** Rename or copy similarity, 0-100. */
  similarity?: number;
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

/** The path a file is known by: the new one, or the old one for a deletion. */
export function displayPath(file: FileDiff): string {
  return file.newPath ?? file.oldPath ?? '';
}

export function parseDiff(text: string): FileDiff[] {
  const files: FileDiff[] = [];
  const lines = text.split('\n');
  let file: FileDiff | undefined;
  let hunk: DiffHunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  for (const line of lines) {
    if (line.startsWith('diff --git ')) {
      file = { status: 'modified', binary: false, hunks: [], added: 0, removed: 0 };
      const paths = splitGitHeader(line.slice('diff --git '.length));
      if (paths) {
        file.oldPath = paths[0];
        file.newPath = paths[1];
      }
      files.push(file);
      hunk = undefined;
      continue;
    }
    if (!file) continue;
    // Inside a hunk every line up to its counts belongs to it, even one that looks like a header.
    if (hunk && (oldLine < hunk.oldStart + hunk.oldLines || newLine < hunk.newStart + hunk.newLines)) {
      const marker = line[0];
      const body = line.slice(1);
      if (marker === '+') {
        hunk.lines.push({ kind: 'add', text: body, newLine: newLine++ });
        file.added++;
        continue;
      }
      if (marker === '-') {
        hunk.lines.push({ kind: 'remove', text: body, oldLine: oldLine++ });
        file.removed++;
        continue;
      }
      if (marker === ' ' || line === '') {
        hunk.lines.push({ kind: 'context', text: body, oldLine: oldLine++, newLine: newLine++ });
        continue;
      }
      if (marker === '\\') continue; // "\ No newline at end of file"
    }
    if (line.startsWith('\\')) continue;
    const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/.exec(line);
    if (hunkHeader) {
      hunk = {
        oldStart: Number(hunkHeader[1]),
        oldLines: hunkHeader[2] === undefined ? 1 : Number(hunkHeader[2]),
        newStart: Number(hunkHeader[3]),
        newLines: hunkHeader[4] === undefined ? 1 : Number(hunkHeader[4]),
        section: hunkHeader[5]?.trim() ?? '',
        lines: [],
      };
      // An empty side names the line before it; the counters still start after it.
      oldLine = hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart;
      newLine = hunk.newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
      if (hunk.oldLines === 0) hunk.oldStart++;
      if (hunk.newLines === 0) hunk.newStart++;
      file.hunks.push(hunk);
      continue;
    }
    readHeaderLine(line, file);
  }
  return files;
}

function readHeaderLine(line: string, file: FileDiff): void {
  if (line.startsWith('new file mode')) {
    file.status = 'added';
    delete file.oldPath;
  } else if (line.startsWith('deleted file mode')) {
    file.status = 'deleted';
    delete file.newPath;
  } else if (line.startsWith('rename from ')) {
    file.status = 'renamed';
    file.oldPath = unquote(line.slice('rename from '.length));
  } else if (line.startsWith('rename to ')) {
    file.status = 'renamed';
    file.newPath = unquote(line.slice('rename to '.length));
  } else if (line.startsWith('copy from ')) {
    file.status = 'copied';
    file.oldPath = unquote(line.slice('copy from '.length));
  } else if (line.startsWith('copy to ')) {
    file.status = 'copied';
    file.newPath = unquote(line.slice('copy to '.length));
  } else if (line.startsWith('similarity index ')) {
    file.similarity = Number.parseInt(line.slice('similarity index '.length), 10);
  } else if (line.startsWith('--- ')) {
    const old = pathAfterPrefix(line.slice(4), 'a/');
    if (old !== undefined) file.oldPath = old;
  } else if (line.startsWith('+++ ')) {
    const next = pathAfterPrefix(line.slice(4), 'b/');
    if (next !== undefined) file.newPath = next;
  } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
    file.binary = true;
  }
}

/** "a/x" → "x"; "/dev/null" → undefined; quoted names are unquoted first. */
function pathAfterPrefix(raw: string, prefix: string): string | undefined {
  const name = unquote(raw.replace(/\t$/, ''));
  if (name === '/dev/null') return undefined;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * The two paths of "diff --git a/x b/y". Unquoted names may contain spaces,
 * so for them the header is split where both halves name the same file
 * (renames also have "rename from/to" lines, which win).
 */
function splitGitHeader(rest: string): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const end = closingQuote(rest);
    const first = unquote(rest.slice(0, end + 1));
    const second = unquote(rest.slice(end + 2));
    return [strip(first, 'a/'), strip(second, 'b/')];
  }
  if (rest.endsWith('"')) {
    const start = rest.lastIndexOf(' "');
    return [strip(rest.slice(0, start), 'a/'), strip(unquote(rest.slice(start + 1)), 'b/')];
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.startsWith('a/') && rest.slice(half + 1).startsWith('b/')) {
    const old = rest.slice(2, half);
    const next = rest.slice(half + 3);
    if (old === next) return [old, next];
  }
  const split = rest.indexOf(' b/');
  if (split === -1) return undefined;
  return [strip(rest.slice(0, split), 'a/'), rest.slice(split + 3)];
}

function strip(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** git's C-style quoting ("a\tb", "caf\303\251") back to the name; unquoted text is returned as is. */
export function unquote(text: string): string {
  if (!(text.length >= 2 && text.startsWith('"') && text.endsWith('"'))) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
