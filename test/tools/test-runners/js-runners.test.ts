// The reports of mocha (recorded from mocha 11.8, which the suite does not
// install), of our reporter for `node --test`, including what the code
// under test could write into the report file, and bun's and deno's JUnit
// reports and output, recorded from the sample projects.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectedAndActual, jsOutputProblems, parseJsJunit } from '../../../tools/test-runners/js-junit.js';
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

describe('bun and deno JUnit reports (recorded from bun 1.4.5 and deno 2.9.6 on test/fixtures/projects)', () => {
  it('bun: ids from the file and nested describe blocks, the place from the stack, expected and received', () => {
    const findings = parseJsJunit(recorded('bun-1.4-junit.xml'), root);
    expect(findings.totals).toEqual({ passed: 2, failed: 3, errored: 0, skipped: 1, notRun: 0 });
    expect(findings.failures.map((failure) => [failure.id, failure.file, failure.line, failure.column])).toEqual([
      ['test/math.test.ts › math › adds two numbers', 'test/math.test.ts', 6, 23],
      ['test/math.test.ts › math › objects › sums fields', 'test/math.test.ts', 17, 36],
      // Thrown in the code under test: the place it was thrown.
      ['test/math.test.ts › math › objects › reads settings', 'src/math.ts', 10, 49],
    ]);
    expect(findings.failures[0]).toMatchObject({
      message: 'expect(received).toBe(expected)',
      expected: '5',
      actual: '-1',
    });
    expect(findings.failures[1]).toMatchObject({ expected: '{ "total": 2 }', actual: '{ "total": 0 }' });
    expect(findings.failures[2]).toMatchObject({ message: 'no settings given' });
    expect(findings.failures[2]!.expected).toBeUndefined();
  });

  it('bun: a file that does not parse and one that throws at the top level, from the output', () => {
    const problems = jsOutputProblems(root, recorded('bun-1.4-output.txt'));
    // bun goes on with guesses after the first syntax error; only the first is kept.
    expect(problems.buildErrors).toEqual([
      { file: 'test/broken.test.ts', line: 4, column: 9, message: 'Expected identifier but found "="' },
    ]);
    expect(problems.failures).toEqual([
      expect.objectContaining({
        id: 'test/crash.test.ts',
        kind: 'errored',
        file: 'test/crash.test.ts',
        line: 4,
        column: 17,
        message: expect.stringMatching(/^TypeError: undefined is not an object \(evaluating 'settings\.retries'\) \(/),
      }),
    ]);
  });

  it('deno: steps as nested names, their parent not counted, the place from the stack, node:assert values', () => {
    const findings = parseJsJunit(recorded('deno-2.9-junit.xml'), root);
    // deno's summary says "2 passed | 3 failed (2 steps) | 1 ignored": the file that threw (only in the output),
    // the first test, and the group whose 2 steps failed. Here each failing step counts, as a nested test does.
    expect(findings.totals).toEqual({ passed: 2, failed: 3, errored: 0, skipped: 1, notRun: 0 });
    expect(findings.failures.map((failure) => [failure.id, failure.file, failure.line, failure.column])).toEqual([
      ['math_test.ts › adds two numbers', 'math_test.ts', 5, 10],
      ['math_test.ts › objects › sums fields', 'math_test.ts', 16, 12],
      ['math_test.ts › objects › reads settings', 'math.ts', 10, 20],
    ]);
    expect(findings.failures[0]).toMatchObject({
      message: 'AssertionError: Expected values to be strictly equal: -1 !== 5',
      expected: '5',
      actual: '-1',
    });
    expect(findings.failures[1]).toMatchObject({ expected: '{ total: 2 }', actual: '{ total: 0 }' });
    expect(findings.failures[2]).toMatchObject({ message: 'Error: no settings given' });
    // deno's own frames (ext:cli/40_test.js) are not the project's.
    expect(findings.failures[1]!.excerpt).not.toContain('ext:');
  });

  it('deno: a file that throws at the top level, a syntax error and a type error, from coloured output', () => {
    expect(jsOutputProblems(root, recorded('deno-2.9-output.txt'))).toEqual({
      buildErrors: [],
      failures: [
        expect.objectContaining({
          id: 'crash_test.ts',
          kind: 'errored',
          file: 'crash_test.ts',
          line: 2,
          column: 26,
          message: expect.stringMatching(/^TypeError: Cannot read properties of undefined \(reading 'retries'\) \(/),
        }),
      ],
    });
    expect(jsOutputProblems(root, recorded('deno-2.9-syntax-error.txt')).buildErrors).toEqual([
      {
        file: 'broken_test.ts',
        line: 4,
        column: 9,
        message: 'SyntaxError: Unexpected token `=`. Expected yield, an identifier, [ or {',
      },
    ]);
    expect(jsOutputProblems(root, recorded('deno-2.9-type-error.txt')).buildErrors).toEqual([
      {
        file: 'types_test.ts',
        line: 1,
        column: 7,
        message: "TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.",
      },
    ]);
  });

  it("reads @std/assert's diff (written after its documentation: it needs the network to install)", () => {
    const text = 'AssertionError: Values are not equal.\n\n\n    [Diff] Actual / Expected\n\n\n-   -1\n+   5\n\n';
    expect(expectedAndActual(text)).toEqual({ expected: '5', actual: '-1' });
  });

  it('reads a failure message with a long run of blank lines (the tested code writes it) without hanging', () => {
    // Each of these backtracked over the run at least cubically: 50,000 lines took hours. A hang is the failure.
    const blank = '\n'.repeat(50_000);
    expect(expectedAndActual(`Expected values to be strictly equal:${blank}-1 !== 5`)).toEqual({
      expected: '5',
      actual: '-1',
    });
    expect(expectedAndActual(`[Diff] Actual / Expected${blank}-   -1\n+   5\n`)).toEqual({
      expected: '5',
      actual: '-1',
    });
    expect(expectedAndActual(`boom${blank}- Expected, but nothing follows`)).toEqual({});
    // A bun diff after many lines is still read once, not from every line.
    const lines = 'at frame\n'.repeat(200_000);
    expect(expectedAndActual(`${lines}\n-   0\n+   2\n\n- Expected  - 1\n+ Received  + 1\n`)).toEqual({
      expected: '0',
      actual: '2',
    });
  });

  it('takes the older one-line deno parse error too, and nothing from plain output', () => {
    const deno =
      "error: The module's source code could not be parsed: Expression expected at file:///work/proj/broken_test.ts:4:13\n";
    expect(jsOutputProblems(root, deno).buildErrors).toEqual([
      {
        file: 'broken_test.ts',
        line: 4,
        column: 13,
        message: "The module's source code could not be parsed: Expression expected",
      },
    ]);
    expect(jsOutputProblems(root, 'bun test v1.4.5\n\n 2 pass\n 0 fail\n')).toEqual({ buildErrors: [], failures: [] });
  });

  it('reads a report that is not XML as no tests', () => {
    expect(parseJsJunit('<testsuites><testcase', root).totals.passed).toBe(0);
    expect(parseJsJunit('not xml at all', root).failures).toEqual([]);
  });

  it('keeps a " > " in a plain test name, and a step parent whose own body threw', () => {
    const xml = `<testsuites><testsuite name="./a_test.ts">
      <testcase name="a > b" classname="./a_test.ts" line="1" col="6"/>
      <testcase name="setup" classname="./a_test.ts" line="3" col="6"><failure message="Uncaught Error: no db">Error: no db</failure></testcase>
      <testcase name="setup &gt; step" classname="./a_test.ts" line="4" col="11"/>
    </testsuite></testsuites>`;
    const findings = parseJsJunit(xml, root);
    expect(findings.totals).toEqual({ passed: 2, failed: 1, errored: 0, skipped: 0, notRun: 0 });
    expect(findings.failures.map((failure) => failure.id)).toEqual(['a_test.ts › setup']);
  });
});
