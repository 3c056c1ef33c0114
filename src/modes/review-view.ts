// A review's result as the terminal UI shows it (the same parts as the
// plain terminal output: the files, the findings by file with the lines they
// point at, what was set aside, the verdict).
import {
  describeReviewedFile,
  findingExcerpt,
  findingPlace,
  findingsByFile,
  findingsSummary,
} from '../review/render-terminal.js';
import type { ReviewResult } from '../review/run-review.js';
import { describeTarget } from '../review/target.js';
import type { ReviewView } from '../ui/review-view.js';

export function reviewView(result: ReviewResult): ReviewView {
  const reviewed = result.files.filter((file) => file.reviewed).length;
  const changes = new Map(result.changes.map((file) => [file.path, file]));
  return {
    heading: `Reviewed ${describeTarget(result.target)}: ${reviewed} of ${result.files.length} files`,
    files: result.files.map((file) => ({
      line: describeReviewedFile(file),
      ...(file.note ? { note: file.note } : {}),
    })),
    problems: result.problems,
    byFile: [...findingsByFile(result.findings)].map(([file, findings]) => ({
      file,
      findings: findings.map((finding) => ({
        severity: finding.severity,
        category: finding.category,
        place: findingPlace(finding),
        outside: finding.location === 'context',
        title: finding.title,
        explanation: finding.explanation,
        excerpt: findingExcerpt(finding, changes.get(file)),
        ...(finding.suggestion ? { suggestion: finding.suggestion } : {}),
      })),
    })),
    setAside: result.rejected.map((r) => `${r.file}:${r.line} ${r.title}: ${r.reason}`),
    verdict: findingsSummary(result.findings),
    complete: result.complete,
  };
}
