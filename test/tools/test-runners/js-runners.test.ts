// The reports of mocha (recorded from mocha 11.8, which the suite does not
// install) and of our reporter for `node --test`, including what the code
// under test could write into the report file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mochaJsonFromOutput, mochaSyntaxErrors, parseMochaJson } from '../../../tools/test-runners/mocha-json.js';
import { parseNodeTestReport } from '../../../tools/test-runners/node-test.js';

const recorded = (name: string) =>
  readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/recorded', name), 'utf8');
const root = '/work/proj';

describe('mocha --reporter json', () => {
  const report = JSON.parse(recorded('mocha-11-report.json')) as unknown;

  it('names each failure by file and full title, with its line, expected and actual; a failing hook is an error', () => {
    const findings = parseMochaJson(report, root);
    expect(findings.totals).toEqual({ passed: 1, failed: 2, errored: 1, skipped: 1, notRun: 0 });
    expect(findings.failures.map((failure) => [failure.id, failure.kind, failure.file, failure.line])).toEqual([
      ['test/math.test.js › math adds two numbers', 'failed', 'test/math.test.js', 6],
      ['test/math.test.js › math objects sums fields', 'failed', 'test/math.test.js', 19],
      ['test/math.test.js › settings "before all" hook for "reads them"', 'errored', 'test/math.test.js', 26],
    ]);
    expect(findings.failures[0]).toMatchObject({
      message: 'Expected values to be strictly equal: -1 !== 5',
      expected: '5',
      actual: '-1',
    });
    expect(findings.failures[1]).toMatchObject({ expected: '{ "total": 2 }', actual: '{ "total": 0 }' });
    expect(findings.failures[2]).toMatchObject({ message: 'no settings file' });
  });

  it('reads the report from the output of a mocha that printed it', () => {
    const output = `> mocha-fixture@1.0.0 test\n> mocha --reporter json\n\n${recorded('mocha-11-report.json')}\nnpm error code 3\n`;
    expect(parseMochaJson(mochaJsonFromOutput(output), root).totals.failed).toBe(2);
    expect(mochaJsonFromOutput('no report here')).toBeUndefined();
  });

  it('turns a file it could not load into a build error', () => {
    expect(mochaSyntaxErrors(root, recorded('mocha-11-syntax-error.txt'))).toEqual([
      { file: 'test/broken.test.js', message: "SyntaxError: Unexpected token ';'" },
    ]);
    const commonJs =
      "/work/proj/test/old.test.js:3\n    const x = ;\n              ^\n\nSyntaxError: Unexpected token ';'\n";
    expect(mochaSyntaxErrors(root, commonJs)).toEqual([
      { file: 'test/old.test.js', line: 3, message: "SyntaxError: Unexpected token ';'" },
    ]);
  });

  it('takes a report of the wrong shape as no tests at all', () => {
    for (const hostile of [null, 42, 'text', { failures: 'x', passes: [null, 1] }, { failures: [{ err: 'boom' }] }]) {
      const findings = parseMochaJson(hostile, root);
      expect(findings.totals.passed).toBe(0);
    }
    expect(parseMochaJson({ failures: [{ err: 'boom' }] }, root).failures).toEqual([
      expect.objectContaining({ id: '(unnamed)', message: 'failed' }),
    ]);
  });
});

describe('node --test with our reporter', () => {
  const line = (record: Record<string, unknown>) => JSON.stringify({ file: `${root}/test/a.test.js`, ...record });

  it('counts tests, not suites or the file itself; skips, todos, hooks and cancelled tests each as they are', () => {
    const text = [
      line({ status: 'pass', path: ['suite', 'works'], line: 3 }),
      line({ status: 'pass', path: ['suite', 'later'], todo: true }),
      line({ status: 'pass', path: ['suite', 'skipped'], skip: true }),
      line({ status: 'fail', path: ['suite', 'cut short'], failureType: 'cancelledByParent', message: 'x' }),
      line({
        status: 'fail',
        path: ['suite', 'setup'],
        type: 'suite',
        failureType: 'hookFailed',
        message: 'no database',
        stack: `Error: no database\n    at file://${root}/test/a.test.js:9:11\n    at node:internal/x:1:1`,
      }),
      line({ status: 'fail', path: ['suite'], type: 'suite', failureType: 'subtestsFailed', message: '2 failed' }),
      line({ status: 'pass', path: ['suite'], type: 'suite' }),
      line({ status: 'fail', path: [`${root}/test/a.test.js`], failureType: 'subtestsFailed' }),
    ].join('\n');
    const findings = parseNodeTestReport(text, root);
    expect(findings.totals).toEqual({ passed: 1, failed: 0, errored: 1, skipped: 2, notRun: 1 });
    expect(findings.failures).toEqual([
      expect.objectContaining({
        id: 'test/a.test.js › suite › setup',
        kind: 'errored',
        file: 'test/a.test.js',
        line: 9,
        column: 11,
        message: 'no database',
      }),
    ]);
  });

  it('skips lines that are not records, whatever the code under test wrote', () => {
    const text = ['garbage', '{"status":', '[1,2]', 'null', line({ status: 'fail', path: 'x', message: 7 }), ''].join(
      '\n',
    );
    const findings = parseNodeTestReport(text, root);
    expect(findings.totals.failed).toBe(1);
    expect(findings.failures[0]).toMatchObject({ id: 'test/a.test.js', message: 'failed' });
  });
});
