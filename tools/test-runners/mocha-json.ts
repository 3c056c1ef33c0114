// Reads mocha's JSON reporter (`--reporter json`, written to a file with
// `--reporter-option output=FILE` since mocha 9.2; older ones print it on
// stdout): passes, pending and failures, each with its title path joined as
// `fullTitle`, its file, and the error with expected and actual. A failing
// hook ("before each" hook for …) is an error, not a test failure. When
// mocha cannot load a file it writes no report: a syntax error in its
// output is then a build error.
import { emptyTotals, type BuildError, type RunnerFindings, type TestFailure } from './report.js';
import { excerpt, firstProjectFrame, relativeToRoot } from './locations.js';
import { assertionHeadline } from './node-test.js';

interface MochaTest {
  title?: unknown;
  fullTitle?: unknown;
  file?: unknown;
  err?: { message?: unknown; stack?: unknown; expected?: unknown; actual?: unknown } | null;
}

interface MochaReport {
  stats?: unknown;
  passes?: unknown;
  pending?: unknown;
  failures?: unknown;
}

export function parseMochaJson(report: unknown, root: string): RunnerFindings {
  const body = (typeof report === 'object' && report !== null ? report : {}) as MochaReport;
  const list = (value: unknown) => (Array.isArray(value) ? (value as MochaTest[]).filter(isObject) : []);
  const totals = emptyTotals();
  totals.passed = list(body.passes).length;
  totals.skipped = list(body.pending).length;
  const failures: TestFailure[] = [];
  for (const test of list(body.failures)) {
    const hook = /^"(?:before|after) (?:all|each)" hook/.test(str(test.title) ?? '');
    if (hook) totals.errored++;
    else totals.failed++;
    failures.push(failureOf(root, test, hook));
  }
  return { totals, failures, buildErrors: [] };
}

/** The report mocha printed on stdout (before the `output` option), if the output holds one. */
export function mochaJsonFromOutput(output: string): unknown {
  const start = output.search(/^\{\s*\n\s*"stats":/m);
  const end = output.lastIndexOf('\n}');
  if (start === -1 || end < start) return undefined;
  try {
    return JSON.parse(output.slice(start, end + 2));
  } catch {
    return undefined;
  }
}

/**
 * A file mocha could not load for a syntax error. Mocha 10 and later say
 * "SyntaxError[ @/abs/a.test.js ]: …" (ES modules); Node's own report of a
 * CommonJS file is "/abs/a.test.js:3", the line, then "SyntaxError: …".
 */
export function mochaSyntaxErrors(root: string, output: string): BuildError[] {
  const mocha = /SyntaxError\[ @(\S+) \]: (.*)$/m.exec(output);
  if (mocha) return [{ file: relativeToRoot(root, mocha[1]!), message: `SyntaxError: ${mocha[2]!.trim()}` }];
  const syntax = /^(SyntaxError: .*)$/m.exec(output);
  if (!syntax) return [];
  const place = [...output.slice(0, syntax.index).matchAll(/^(\S+\.[cm]?[jt]sx?):(\d+)$/gm)].at(-1);
  return [
    {
      ...(place ? { file: relativeToRoot(root, place[1]!), line: Number(place[2]) } : {}),
      message: syntax[1]!.trim(),
    },
  ];
}

function failureOf(root: string, test: MochaTest, hook: boolean): TestFailure {
  const file = relativeToRoot(root, str(test.file) ?? '');
  const err = isObject(test.err) ? test.err : {};
  const message = str(err.message) ?? '';
  const stack = str(err.stack) ?? message;
  const frame = firstProjectFrame(root, stack);
  const expected = shown(err.expected);
  const actual = shown(err.actual);
  const title = str(test.fullTitle) ?? str(test.title) ?? '(unnamed)';
  return {
    id: file ? `${file} › ${title}` : title,
    kind: hook ? 'errored' : 'failed',
    ...(frame || file ? { file: frame?.file ?? file } : {}),
    ...(frame ? { line: frame.line, ...(frame.column ? { column: frame.column } : {}) } : {}),
    message: assertionHeadline(message) || 'failed',
    ...(expected !== undefined && actual !== undefined ? { expected, actual } : {}),
    excerpt: excerpt(root, stack),
  };
}

function shown(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let text: string;
  try {
    // Mocha writes them as strings already, objects as indented JSON: one line for the report.
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  text = text.replace(/\s*\n\s*/g, ' ');
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
