// The review for a person at a terminal: what was looked at (and what was
// not, and why), then the findings grouped by file, each with the lines it
// points at, then the verdict that decides the exit code.
import type { ChangedFile } from './changes.js';
import type { Finding, Severity } from './findings.js';
import { changedLines } from './locate.js';
import { countBySeverity, failingFindings, type FailOn } from './report.js';
import type { ReviewedFile, ReviewResult } from './run-review.js';
import { describeTarget } from './target.js';

/** Colours text for a terminal (or returns it unchanged). */
export type Paint = (style: 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan', text: string) => string;

/** Lines of code shown under a finding, at most. */
const EXCERPT_MAX_LINES = 12;

const SEVERITY_STYLE: Record<Severity, Parameters<Paint>[0]> = {
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  nit: 'dim',
};

export function renderReview(result: ReviewResult, failOn: FailOn, paint: Paint): string {
  const out: string[] = [];
  const reviewed = result.files.filter((file) => file.reviewed).length;
  out.push(paint('bold', `Reviewed ${describeTarget(result.target)}: ${reviewed} of ${result.files.length} files`));
  for (const file of result.files) {
    const line = `  ${describeReviewedFile(file)}`;
    out.push(file.reviewed ? line : `${line}  ${paint('yellow', `— ${file.note}`)}`);
  }
  for (const problem of result.problems) out.push(paint('yellow', `! ${problem}`));

  const changes = new Map(result.changes.map((file) => [file.path, file]));
  for (const [file, findings] of findingsByFile(result.findings)) {
    out.push('', paint('bold', file));
    for (const finding of findings) out.push(...renderFinding(finding, changes.get(file), paint));
  }
  if (result.rejected.length > 0) {
    out.push('', paint('dim', `Set aside (${result.rejected.length}): findings that did not point into the change:`));
    for (const r of result.rejected) out.push(paint('dim', `  ${r.file}:${r.line} ${r.title}: ${r.reason}`));
  }
  out.push('', verdict(result, failOn, paint));
  return `${out.join('\n')}\n`;
}

/** "modified src/a.ts  +3 -1", "renamed  b.ts (from a.ts)" */
export function describeReviewedFile(file: ReviewedFile): string {
  const from = file.oldPath ? ` (from ${file.oldPath})` : '';
  const counts = file.binary ? '' : `  +${file.added} -${file.removed}`;
  return `${file.status.padEnd(8)} ${file.path}${from}${counts}`;
}

/** "src/a.ts:3-5" */
export function findingPlace(finding: Finding): string {
  return `${finding.file}:${finding.line === finding.endLine ? finding.line : `${finding.line}-${finding.endLine}`}`;
}

function renderFinding(finding: Finding, file: ChangedFile | undefined, paint: Paint): string[] {
  const where = finding.location === 'context' ? ' (outside the change)' : '';
  const out = [
    `  ${paint(SEVERITY_STYLE[finding.severity], finding.severity.toUpperCase().padEnd(6))} ${finding.category}  ` +
      `${paint('bold', findingPlace(finding))}${where}  ${finding.title}`,
    ...wrap(finding.explanation, 4),
  ];
  out.push(...excerpt(finding, file, paint));
  if (finding.suggestion) {
    out.push('    Suggestion:');
    // One push per line: the model's suggestion may have more lines than a call takes arguments.
    for (const line of finding.suggestion.split('\n')) out.push(`      ${line}`);
  }
  return out;
}

/** A line of the new version under a finding: "+" the change added it, "~" the change touched it. */
export interface ExcerptLine {
  line: number;
  mark: '+' | '~' | ' ';
  text: string;
}

/** The new version's lines the finding points at, with a line around them. */
export function findingExcerpt(finding: Finding, file: ChangedFile | undefined): ExcerptLine[] {
  if (!file?.newLines) return [];
  const added = new Set(
    file.hunks.flatMap((hunk) => hunk.lines.filter((l) => l.kind === 'add').map((l) => l.newLine!)),
  );
  const touched = new Set(changedLines(file));
  const first = Math.max(1, finding.line - 1);
  const last = Math.min(file.newLines.length, finding.endLine + 1, first + EXCERPT_MAX_LINES - 1);
  const out: ExcerptLine[] = [];
  for (let n = first; n <= last; n++) {
    out.push({ line: n, mark: added.has(n) ? '+' : touched.has(n) ? '~' : ' ', text: file.newLines[n - 1]! });
  }
  return out;
}

function excerpt(finding: Finding, file: ChangedFile | undefined, paint: Paint): string[] {
  const lines = findingExcerpt(finding, file);
  const width = String(lines.at(-1)?.line ?? 0).length;
  return lines.map(({ line, mark, text }) => {
    const row = `    ${String(line).padStart(width)} │ ${mark} ${text}`;
    return mark === '+' ? paint('green', row) : paint('dim', row);
  });
}

/** Findings in the order they came, grouped by file. */
export function findingsByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  return byFile;
}

/** "No findings." or "3 findings: 1 high, 2 low." */
export function findingsSummary(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  if (findings.length === 0) return 'No findings.';
  const bySeverity = (['high', 'medium', 'low', 'nit'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
  return `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${bySeverity}.`;
}

function verdict(result: ReviewResult, failOn: FailOn, paint: Paint): string {
  const summary = findingsSummary(result.findings);
  const failing = failingFindings(result.findings, failOn).length;
  if (failing > 0) return `${summary} ${paint('red', `${failing} at or above --fail-on ${failOn}.`)}`;
  if (!result.complete) return `${summary} ${paint('yellow', 'The review is incomplete (see above).')}`;
  return summary;
}

function wrap(text: string, indent: number, width = 96): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > width - indent) {
        out.push(pad + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(pad + line);
  }
  return out;
}
