// Checks each finding against the diff before it is reported: its file is
// matched to the reviewed version (old names of renamed files, "a/"
// prefixes and absolute paths are mapped), its lines must exist there, and
// it must point at or next to a changed line unless the model marked it as
// context. Anything else is rejected, with the reason kept for --json.
import path from 'node:path';
import type { ChangedFile } from './changes.js';
import type { Finding, ModelFinding, RejectedFinding } from './findings.js';

/** A finding this many lines from a changed line still points into the change (the diff's own context). */
export const NEARBY_LINES = 3;

export interface LocateInput {
  root: string;
  files: readonly ChangedFile[];
  /** Line count of a file outside the diff in the reviewed version; undefined when there is no such file. */
  lineCount(file: string): Promise<number | undefined>;
}

export interface Located {
  findings: Finding[];
  rejected: RejectedFinding[];
}

export async function locateFindings(raw: readonly ModelFinding[], input: LocateInput): Promise<Located> {
  const byNewPath = new Map<string, ChangedFile>();
  const byOldPath = new Map<string, ChangedFile>();
  for (const file of input.files) {
    if (file.newPath) byNewPath.set(file.newPath, file);
    if (file.oldPath) byOldPath.set(file.oldPath, file);
  }
  const findings: Finding[] = [];
  const rejected: RejectedFinding[] = [];
  for (const finding of raw) {
    const reject = (reason: string) =>
      rejected.push({ file: finding.file, line: finding.line, title: finding.title, reason });
    const name = normalizePath(
      finding.file,
      input.root,
      (candidate) => byNewPath.has(candidate) || byOldPath.has(candidate),
    );
    const changed = byNewPath.get(name) ?? byOldPath.get(name);
    if (changed && !changed.newPath) {
      reject('the file is deleted by this change; point at the code that still depends on it');
      continue;
    }
    if (!changed && (path.isAbsolute(name) || name.split('/').includes('..'))) {
      reject(`${finding.file} is outside the repository`);
      continue;
    }
    const file = changed?.newPath ?? name;
    const lineCount = changed?.newLines
      ? changed.newComplete
        ? changed.newLines.length
        : Number.POSITIVE_INFINITY
      : await input.lineCount(file);
    if (lineCount === undefined) {
      reject(`there is no file ${file} in the reviewed version`);
      continue;
    }
    const start = Math.min(finding.line, finding.end_line ?? finding.line);
    const end = Math.min(Math.max(finding.line, finding.end_line ?? finding.line), lineCount);
    if (start > lineCount) {
      reject(`line ${start} is past the end of ${file} (${lineCount} lines)`);
      continue;
    }
    const near = changed ? touchesChange(changed, start, end) : false;
    if (!near && !finding.context) {
      reject(
        changed
          ? `lines ${start}-${end} are outside the changed lines of ${file} and the finding is not marked as context`
          : `${file} is not part of this change and the finding is not marked as context`,
      );
      continue;
    }
    findings.push({
      file,
      line: start,
      endLine: end,
      severity: finding.severity,
      category: finding.category,
      title: finding.title,
      explanation: finding.explanation,
      ...(finding.suggestion ? { suggestion: finding.suggestion } : {}),
      location: near ? 'changed' : 'context',
    });
  }
  return { findings, rejected };
}

/** Lines the change touched in the new version: added lines, and the line where removed ones stood. */
export function changedLines(file: ChangedFile): number[] {
  const lines = new Set<number>();
  for (const hunk of file.hunks) {
    let next = hunk.newStart;
    for (const line of hunk.lines) {
      if (line.kind === 'add') lines.add(line.newLine!);
      if (line.kind === 'remove') lines.add(Math.max(1, next));
      if (line.newLine !== undefined) next = line.newLine + 1;
    }
  }
  return [...lines].sort((a, b) => a - b);
}

function touchesChange(file: ChangedFile, start: number, end: number): boolean {
  return changedLines(file).some((line) => line >= start - NEARBY_LINES && line <= end + NEARBY_LINES);
}

/**
 * The repository path a model meant: forward slashes, no "./", an absolute
 * path inside the root made relative, and a git "a/" or "b/" prefix dropped
 * when that names a changed file.
 */
export function normalizePath(raw: string, root: string, isChanged: (candidate: string) => boolean): string {
  let name = raw.trim().replaceAll('\\', '/');
  if (path.isAbsolute(name) && name.startsWith(`${root}/`)) name = name.slice(root.length + 1);
  name = name.replace(/^(\.\/)+/, '');
  if (!isChanged(name) && /^[ab]\//.test(name) && isChanged(name.slice(2))) name = name.slice(2);
  return name;
}
