// How one changed file is shown to the model: numbered with its lines in
// the new version (the numbers findings must cite), "+" on added lines and
// removed lines in place without a number. A small file is shown whole; a
// large one as its changed parts with a few lines around each.
import type { DiffLine } from '../../tools/git/parse-diff.js';
import type { ChangedFile } from './changes.js';

/** Files up to this many lines (new version) are shown whole. */
export const WHOLE_FILE_MAX_LINES = 300;

export interface FileListing {
  /** The section for the prompt. */
  text: string;
  whole: boolean;
}

/** The file's heading: "src/a.ts (modified, +3 -1)". */
export function fileHeading(file: ChangedFile): string {
  const counts = `+${file.added} -${file.removed}`;
  if (file.binary) return `${file.path} (${file.status} binary file)`;
  switch (file.status) {
    case 'added':
      return `${file.path} (new file, ${file.added} lines)`;
    case 'deleted':
      return `${file.path} (deleted, ${file.removed} lines)`;
    case 'renamed':
      return `${file.path} (renamed from ${file.oldPath}, ${counts})`;
    case 'copied':
      return `${file.path} (copied from ${file.oldPath}, ${counts})`;
    default:
      return `${file.path} (modified, ${counts})`;
  }
}

/** The whole file when it is small (and `compact` is not asked for), else its changed parts. */
export function renderListing(file: ChangedFile, compact = false): FileListing {
  const lines = file.newLines;
  const whole =
    !compact &&
    file.status !== 'deleted' &&
    lines !== undefined &&
    file.newComplete &&
    lines.length <= WHOLE_FILE_MAX_LINES;
  const body = whole ? wholeFile(file, lines) : changedParts(file);
  const note = whole ? '' : file.status === 'deleted' ? ' [removed lines]' : ' [changed parts; read_file for the rest]';
  return { text: `## ${fileHeading(file)}${note}\n${body}`, whole };
}

function wholeFile(file: ChangedFile, lines: readonly string[]): string {
  const added = new Set<number>();
  const removedBefore = new Map<number, string[]>();
  for (const hunk of file.hunks) {
    let next = hunk.newStart;
    for (const line of hunk.lines) {
      if (line.kind === 'remove') {
        const list = removedBefore.get(next) ?? [];
        list.push(line.text);
        removedBefore.set(next, list);
      } else {
        if (line.kind === 'add') added.add(line.newLine!);
        next = line.newLine! + 1;
      }
    }
  }
  const width = String(lines.length).length;
  const out: string[] = [];
  const removed = (before: number) => {
    for (const text of removedBefore.get(before) ?? []) out.push(`${' '.repeat(width)} - ${text}`);
  };
  lines.forEach((text, index) => {
    const number = index + 1;
    removed(number);
    out.push(`${String(number).padStart(width)} ${added.has(number) ? '+' : ' '} ${text}`);
  });
  removed(lines.length + 1);
  return out.join('\n');
}

function changedParts(file: ChangedFile): string {
  const last = file.hunks.flatMap((hunk) => hunk.lines).reduce((max, line) => Math.max(max, line.newLine ?? 0), 0);
  const width = String(last).length;
  return file.hunks
    .map((hunk) => {
      const heading = hunk.section ? `@@ in: ${hunk.section}` : '@@';
      return [heading, ...hunk.lines.map((line) => numbered(line, width))].join('\n');
    })
    .join('\n');
}

function numbered(line: DiffLine, width: number): string {
  const number = line.newLine === undefined ? ' '.repeat(width) : String(line.newLine).padStart(width);
  const marker = line.kind === 'add' ? '+' : line.kind === 'remove' ? '-' : ' ';
  return `${number} ${marker} ${line.text}`;
}
