// The review's outputs: the exit code for each --fail-on, the --json
// document against its published schema, and the SARIF log against the
// official SARIF 2.1.0 schema (the file the schemastore package ships, so
// no network is needed).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/review/findings.js';
import { exitCodeFor, FAIL_ON, REPORT_SCHEMA, toReport, type FailOn } from '../../src/review/report.js';
import type { ReviewResult } from '../../src/review/run-review.js';
import { fileUri, toSarif } from '../../src/review/sarif.js';

function finding(severity: Severity, extra: Partial<Finding> = {}): Finding {
  return {
    file: 'src/a b/ü.ts',
    line: 3,
    endLine: 4,
    severity,
    category: 'bug',
    title: `${severity} problem`,
    explanation: 'What goes wrong.',
    location: 'changed',
    ...extra,
  };
}

function result(findings: Finding[], extra: Partial<ReviewResult> = {}): ReviewResult {
  return {
    target: { kind: 'staged' },
    files: [
      { path: 'src/a b/ü.ts', status: 'modified', binary: false, added: 2, removed: 1, reviewed: true },
      { path: 'logo.png', status: 'added', binary: true, added: 0, removed: 0, reviewed: false, note: 'binary' },
      {
        path: 'new.ts',
        oldPath: 'old.ts',
        status: 'renamed',
        binary: false,
        added: 0,
        removed: 0,
        reviewed: false,
        note: 'renamed, content unchanged',
      },
    ],
    findings,
    rejected: [{ file: 'x.ts', line: 9, title: 'far away', reason: 'outside the change' }],
    problems: [],
    complete: true,
    aborted: false,
    batches: 1,
    changes: [],
    ...extra,
  };
}

describe('exit codes', () => {
  // [highest finding, --fail-on, exit code]
  const table: Array<[Severity | 'none', FailOn, number]> = [
    ['high', 'high', 1],
    ['medium', 'high', 0],
    ['medium', 'medium', 1],
    ['low', 'medium', 0],
    ['low', 'low', 1],
    ['nit', 'low', 0],
    ['high', 'never', 0],
    ['none', 'low', 0],
  ];
  it.each(table)('a %s finding with --fail-on %s exits %i', (severity, failOn, code) => {
    const findings = severity === 'none' ? [] : [finding(severity), finding('nit')];
    expect(exitCodeFor(result(findings), failOn)).toBe(code);
  });

  it('exits 3 when the review is incomplete and nothing fails, 1 when something fails anyway, 130 when interrupted', () => {
    expect(exitCodeFor(result([finding('low')], { complete: false }), 'high')).toBe(3);
    expect(exitCodeFor(result([finding('high')], { complete: false }), 'high')).toBe(1);
    expect(exitCodeFor(result([], { complete: false, aborted: true }), 'high')).toBe(130);
  });
});

describe('the --json report', () => {
  it('matches its published schema and carries the verdict', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(REPORT_SCHEMA);
    for (const failOn of FAIL_ON) {
      const report = toReport(result([finding('high', { suggestion: 'fixed()' }), finding('nit')]), failOn);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    }
    const report = toReport(result([finding('high'), finding('nit')]), 'high');
    expect(report).toMatchObject({
      version: 1,
      status: 'complete',
      failed: true,
      counts: { high: 1, medium: 0, low: 0, nit: 1 },
    });
    expect(validate({ ...report, findings: [{ ...report.findings[0], severity: 'critical' }] })).toBe(false);
  });
});

describe('the SARIF log', () => {
  const require = createRequire(import.meta.url);
  const schema = JSON.parse(
    readFileSync(require.resolve('schemastore/schemas/json/sarif-2.1.0.json'), 'utf8'),
  ) as Record<string, unknown>;
  // The official schema's "language" pattern is not valid as a Unicode regular expression.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // The CommonJS module's own default export (the plugin), as both TypeScript and Node see it.
  ajvFormats.default(ajv);
  const validate = ajv.compile(schema);

  it('validates against the official SARIF 2.1.0 schema', () => {
    const log = toSarif(
      result(
        [
          finding('high', { suggestion: 'use <' }),
          finding('medium', { category: 'security' }),
          finding('nit', { location: 'context' }),
        ],
        {
          problems: ["The model's findings could not be read"],
          complete: false,
        },
      ),
      '0.1.0',
    );
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('the validation is real: a broken log fails it', () => {
    const log = toSarif(result([finding('high')]), '0.1.0') as {
      runs: Array<{ results: Array<Record<string, unknown>> }>;
    };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('maps severities to levels and files to relative, encoded URIs with their lines', () => {
    const log = toSarif(result([finding('high'), finding('medium'), finding('low'), finding('nit')]), '0.1.0') as {
      runs: Array<{ results: Array<{ level: string; ruleId: string; locations: unknown[] }>; invocations: unknown[] }>;
    };
    const run = log.runs[0]!;
    expect(run.results.map((r) => r.level)).toEqual(['error', 'warning', 'note', 'note']);
    expect(run.results[0]!.ruleId).toBe('bug');
    expect(run.results[0]!.locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'src/a%20b/%C3%BC.ts' }, region: { startLine: 3, endLine: 4 } },
    });
    expect(JSON.stringify(run.invocations)).toContain('logo.png was not reviewed: binary');
    expect(fileUri('a/b c.ts')).toBe('a/b%20c.ts');
  });
});
