// The review's verdict and its machine-readable form: the `--json` document
// (its JSON schema is below and in the README), the exit code for
// `--fail-on`, and the counts by severity.
import { CATEGORIES, SEVERITIES, severityRank, type Finding, type Severity } from './findings.js';
import type { ReviewResult } from './run-review.js';

export const FAIL_ON = ['high', 'medium', 'low', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Exit codes: 0 clean, 1 a finding at or above --fail-on, 3 the review could not be done (whole), 130 interrupted. */
export const EXIT = { clean: 0, findings: 1, usage: 2, incomplete: 3, interrupted: 130 } as const;

export function failingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === 'never') return [];
  return findings.filter((finding) => severityRank(finding.severity) >= severityRank(failOn));
}

export function exitCodeFor(result: ReviewResult, failOn: FailOn): number {
  if (failingFindings(result.findings, failOn).length > 0) return EXIT.findings;
  if (result.aborted) return EXIT.interrupted;
  return result.complete ? EXIT.clean : EXIT.incomplete;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = { high: 0, medium: 0, low: 0, nit: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

export interface ReviewReport {
  version: 1;
  target: { kind: ReviewResult['target']['kind']; ref?: string };
  status: 'complete' | 'incomplete';
  failOn: FailOn;
  /** A finding at or above failOn exists (the exit code is 1). */
  failed: boolean;
  counts: Record<Severity, number>;
  files: ReviewResult['files'];
  findings: Finding[];
  rejected: ReviewResult['rejected'];
  problems: string[];
}

export function toReport(result: ReviewResult, failOn: FailOn): ReviewReport {
  const { target } = result;
  return {
    version: 1,
    target: { kind: target.kind, ...('ref' in target ? { ref: target.ref } : {}) },
    status: result.complete ? 'complete' : 'incomplete',
    failOn,
    failed: failingFindings(result.findings, failOn).length > 0,
    counts: countBySeverity(result.findings),
    files: result.files,
    findings: result.findings,
    rejected: result.rejected,
    problems: result.problems,
  };
}

const STRING = { type: 'string' } as const;
const LINE = { type: 'integer', minimum: 1 } as const;

/** JSON schema (draft-07) of the `--json` document. */
export const REPORT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'gptoss-agent review report',
  type: 'object',
  required: ['version', 'target', 'status', 'failOn', 'failed', 'counts', 'files', 'findings', 'rejected', 'problems'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    target: {
      type: 'object',
      required: ['kind'],
      additionalProperties: false,
      properties: { kind: { enum: ['staged', 'unstaged', 'base', 'commit'] }, ref: STRING },
    },
    status: { enum: ['complete', 'incomplete'] },
    failOn: { enum: FAIL_ON },
    failed: { type: 'boolean' },
    counts: {
      type: 'object',
      required: [...SEVERITIES],
      additionalProperties: false,
      properties: Object.fromEntries(SEVERITIES.map((s) => [s, { type: 'integer', minimum: 0 }])),
    },
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'status', 'binary', 'added', 'removed', 'reviewed'],
        additionalProperties: false,
        properties: {
          path: STRING,
          oldPath: STRING,
          status: { enum: ['added', 'deleted', 'modified', 'renamed', 'copied'] },
          binary: { type: 'boolean' },
          added: { type: 'integer', minimum: 0 },
          removed: { type: 'integer', minimum: 0 },
          reviewed: { type: 'boolean' },
          note: STRING,
        },
      },
    },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['file', 'line', 'endLine', 'severity', 'category', 'title', 'explanation', 'location'],
        additionalProperties: false,
        properties: {
          file: STRING,
          line: LINE,
          endLine: LINE,
          severity: { enum: SEVERITIES },
          category: { enum: CATEGORIES },
          title: STRING,
          explanation: STRING,
          suggestion: STRING,
          location: { enum: ['changed', 'context'] },
        },
      },
    },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        required: ['file', 'line', 'title', 'reason'],
        additionalProperties: false,
        properties: { file: STRING, line: { type: 'integer' }, title: STRING, reason: STRING },
      },
    },
    problems: { type: 'array', items: STRING },
  },
} as const;
