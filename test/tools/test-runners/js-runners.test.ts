// The reports of mocha (recorded from mocha 11.8, which the suite does not
// install) and of our reporter for `node --test`, including what the code
// under test could write into the report file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jsLoadErrors, parseJsJunit } from '../../../tools/test-runners/js-junit.js';
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

// bun and deno are not installed here: these reports are written after the
// formats their documentation shows (bun's nests a testsuite per describe
// block; deno's names the file in classname and gives line and col).
const bunReport = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="bun test" tests="4" assertions="3" failures="1" skipped="1" time="0.02">
  <testsuite name="test/math.test.ts" file="test/math.test.ts" tests="4" assertions="3" failures="1" skipped="1" time="0.01">
    <testsuite name="math" file="test/math.test.ts" line="3" tests="4" assertions="3" failures="1" skipped="1" time="0.01">
      <testcase name="adds two numbers" classname="math" time="0.001" file="test/math.test.ts" line="4" assertions="1">
        <failure type="AssertionError" message="expect(received).toBe(expected)">expect(received).toBe(expected)

Expected: 5
Received: -1

      at &lt;anonymous&gt; (/work/proj/test/math.test.ts:5:23)</failure>
      </testcase>
      <testcase name="multiplies two numbers" classname="math" time="0.0" file="test/math.test.ts" line="8" assertions="1" />
      <testcase name="divides" classname="math" time="0.0" file="test/math.test.ts" line="12" assertions="0">
        <skipped />
      </testcase>
      <testsuite name="objects" file="test/math.test.ts" line="14" tests="1" assertions="1" failures="0" skipped="0" time="0.0">
        <testcase name="sums fields" classname="math &gt; objects" time="0.0" file="test/math.test.ts" line="15" assertions="1" />
      </testsuite>
    </testsuite>
  </testsuite>
</testsuites>`;

const denoReport = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="2" failures="1" errors="0" time="0.015">
    <testsuite name="./math_test.ts" tests="2" disabled="0" errors="0" failures="1">
        <testcase name="adds two numbers" classname="./math_test.ts" time="0.002" line="4" col="6">
            <failure message="Uncaught AssertionError: Values are not equal.">AssertionError: Values are not equal.


    [Diff] Actual / Expected


-   -1
+   5

  throw new AssertionError(message);
        ^
    at assertEquals (https://jsr.io/@std/assert/1.0.0/equals.ts:51:9)
    at file:///work/proj/math_test.ts:5:3</failure>
        </testcase>
        <testcase name="multiplies two numbers" classname="./math_test.ts" time="0.001" line="8" col="6"/>
    </testsuite>
</testsuites>`;

describe('bun and deno JUnit reports', () => {
  it('bun: ids from the file and describe blocks, line from the stack, expected and received', () => {
    const findings = parseJsJunit(bunReport, root);
    expect(findings.totals).toEqual({ passed: 2, failed: 1, errored: 0, skipped: 1, notRun: 0 });
    expect(findings.failures).toEqual([
      expect.objectContaining({
        id: 'test/math.test.ts › math › adds two numbers',
        file: 'test/math.test.ts',
        line: 5,
        column: 23,
        message: 'expect(received).toBe(expected)',
        expected: '5',
        actual: '-1',
      }),
    ]);
  });

  it('deno: the file from classname, line from the project frame, expected and actual from the diff', () => {
    const findings = parseJsJunit(denoReport, root);
    expect(findings.totals).toEqual({ passed: 1, failed: 1, errored: 0, skipped: 0, notRun: 0 });
    expect(findings.failures).toEqual([
      expect.objectContaining({
        id: 'math_test.ts › adds two numbers',
        file: 'math_test.ts',
        line: 5,
        column: 3,
        message: 'AssertionError: Values are not equal.',
        expected: '5',
        actual: '-1',
      }),
    ]);
  });

  it('takes a module that did not load from the output as a build error', () => {
    const deno =
      "error: The module's source code could not be parsed: Expression expected at file:///work/proj/broken_test.ts:4:13\n";
    const denoTypes =
      "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.\n  const n: number = 'x';\n        ^\n    at file:///work/proj/types_test.ts:2:9\n";
    const bun =
      'test/broken.test.ts:\n4 |   const x = ;\n              ^\nerror: Unexpected ;\n    at /work/proj/test/broken.test.ts:4:13\n';
    expect(jsLoadErrors(root, deno + denoTypes + bun)).toEqual([
      {
        file: 'broken_test.ts',
        line: 4,
        column: 13,
        message: "The module's source code could not be parsed: Expression expected",
      },
      {
        file: 'types_test.ts',
        line: 2,
        column: 9,
        message: "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.",
      },
      { file: 'test/broken.test.ts', line: 4, column: 13, message: 'Unexpected ;' },
    ]);
  });

  it('reads a report that is not XML as no tests', () => {
    expect(parseJsJunit('<testsuites><testcase', root).totals.passed).toBe(0);
    expect(parseJsJunit('not xml at all', root).failures).toEqual([]);
  });
});
