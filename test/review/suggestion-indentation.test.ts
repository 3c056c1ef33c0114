// A suggested fix is code: from the model's answer to the terminal, the
// --json report and the SARIF log, every line keeps its indentation.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/review/findings.js';
import { readFindingsAnswer } from '../../src/review/parse-answer.js';
import { renderReview } from '../../src/review/render-terminal.js';
import { toReport } from '../../src/review/report.js';
import type { ReviewResult } from '../../src/review/run-review.js';
import { toSarif } from '../../src/review/sarif.js';

const SUGGESTION = '\tif (i < items.length) {\n\t\ttotal += items[i];\n    \t}  ';
const EXPECTED = SUGGESTION.trimEnd();

function reviewOf(answer: string): ReviewResult {
  const reading = readFindingsAnswer(answer);
  if (!reading.ok) throw new Error(reading.problem);
  const findings: Finding[] = reading.findings.map((found) => ({
    file: found.file,
    line: found.line,
    endLine: found.end_line ?? found.line,
    severity: found.severity,
    category: found.category,
    title: found.title,
    explanation: found.explanation,
    location: 'changed',
    ...(found.suggestion !== undefined ? { suggestion: found.suggestion } : {}),
  }));
  return {
    target: { kind: 'staged' },
    files: [{ path: 'src/cart.js', status: 'modified', binary: false, added: 1, removed: 1, reviewed: true }],
    findings,
    rejected: [],
    problems: [],
    complete: true,
    aborted: false,
    batches: 1,
    changes: [],
  };
}

const answer = (suggestion: string) =>
  JSON.stringify({
    findings: [
      {
        file: 'src/cart.js',
        line: 3,
        severity: 'high',
        category: 'bug',
        title: 'Off by one',
        explanation: 'Reads past the end.',
        suggestion,
      },
    ],
  });

describe('a suggested fix keeps its indentation', () => {
  it.each([
    ['as written', SUGGESTION],
    ['after blank lines', `\n  \n${SUGGESTION}\n\n`],
  ])('%s, in the parsed finding, the terminal, --json and SARIF', (_, suggestion) => {
    const review = reviewOf(answer(suggestion));
    expect(review.findings[0]!.suggestion).toBe(EXPECTED);

    const plain = (_style: string, text: string) => text;
    const terminal = renderReview(review, 'high', plain);
    expect(terminal).toContain(
      EXPECTED.split('\n')
        .map((line) => `      ${line}`)
        .join('\n'),
    );

    const report = JSON.parse(JSON.stringify(toReport(review, 'high'))) as { findings: { suggestion?: string }[] };
    expect(report.findings[0]!.suggestion).toBe(EXPECTED);

    const sarif = toSarif(review, '0.0.0') as { runs: { results: { message: { text: string } }[] }[] };
    expect(sarif.runs[0]!.results[0]!.message.text.endsWith(`\n${EXPECTED}`)).toBe(true);
  });
});
