// The review as a SARIF 2.1.0 log, for code-scanning upload (GitHub and
// others): one rule per category, one result per finding with its file and
// lines, and a notification for each file that was not reviewed.
import { createHash } from 'node:crypto';
import { CATEGORIES, type Category, type Finding, type Severity } from './findings.js';
import type { ReviewResult } from './run-review.js';

export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  high: 'error',
  medium: 'warning',
  low: 'note',
  nit: 'note',
};

const RULE_TEXT: Record<Category, string> = {
  bug: 'A defect: wrong results, a crash, broken error handling, data loss or a race.',
  security: 'A security weakness introduced or exposed by the change.',
  performance: 'A change that makes the code noticeably slower or hungrier.',
  tests: 'Changed behaviour without a test that covers it.',
  maintainability: 'Code that will be hard to change safely.',
  style: 'A style problem that hides or invites a defect.',
};

export function toSarif(result: ReviewResult, version: string): Record<string, unknown> {
  const notReviewed = result.files.filter((file) => !file.reviewed);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gptoss-agent',
            version,
            rules: CATEGORIES.map((category) => ({
              id: category,
              name: category,
              shortDescription: { text: RULE_TEXT[category] },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: result.complete,
            toolExecutionNotifications: [
              ...notReviewed.map((file) => ({
                level: 'note',
                message: { text: `${file.path} was not reviewed: ${file.note ?? 'skipped'}` },
                locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(file.path) } } }],
              })),
              ...result.problems.map((problem) => ({ level: 'warning', message: { text: problem } })),
            ],
          },
        ],
        results: result.findings.map(toResult),
      },
    ],
  };
}

function toResult(finding: Finding): Record<string, unknown> {
  const text = `${finding.title}\n\n${finding.explanation}${finding.suggestion ? `\n\nSuggestion:\n${finding.suggestion}` : ''}`;
  return {
    ruleId: finding.category,
    ruleIndex: CATEGORIES.indexOf(finding.category),
    level: LEVEL[finding.severity],
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(finding.file) },
          region: { startLine: finding.line, endLine: finding.endLine },
        },
      },
    ],
    partialFingerprints: { 'gptossAgentFinding/v1': fingerprint(finding) },
    properties: { severity: finding.severity, location: finding.location },
  };
}

/** A repository path as a relative URI reference: each segment percent-encoded. */
export function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Stable across runs while the file, category and title stay the same (lines move as code changes). */
function fingerprint(finding: Finding): string {
  return createHash('sha256')
    .update(`${finding.file}\n${finding.category}\n${finding.title}`)
    .digest('hex')
    .slice(0, 32);
}
