// Reads the JSON report that jest (`--json`) and vitest (`--reporter=json`)
// write: the same shape, one entry per test file with its assertions. A file
// with no assertions and a message could not run: a syntax or transform
// error is a build error, anything else an errored suite.
import { emptyTotals, type BuildError, type RunnerFindings, type TestFailure } from './report.js';
import { excerpt, firstLine, firstProjectFrame, relativeToRoot } from './locations.js';
import { foldBlankLines } from '../text/fold-blank-lines.js';

interface JestAssertion {
  ancestorTitles?: string[];
  title?: string;
  status?: string;
  failureMessages?: string[];
  location?: { line?: number; column?: number } | null;
}

interface JestSuite {
  name?: string;
  status?: string;
  message?: string;
  assertionResults?: JestAssertion[];
}

const SKIPPED = new Set(['pending', 'skipped', 'todo', 'disabled']);
const BUILD_ERROR = /SyntaxError|Parse failure|Transform failed|Failed to parse|Unexpected token|error TS\d+|: ERROR: /;

export function parseJestJson(report: unknown, root: string): RunnerFindings {
  const suites = ((report as { testResults?: JestSuite[] } | null)?.testResults ?? []).filter(Boolean);
  const totals = emptyTotals();
  const failures: TestFailure[] = [];
  const buildErrors: BuildError[] = [];
  for (const suite of suites) {
    const file = relativeToRoot(root, suite.name ?? '');
    const assertions = suite.assertionResults ?? [];
    if (assertions.length === 0 && suite.status === 'failed' && suite.message?.trim()) {
      const message = suite.message.replace(/^\s*● Test suite failed to run\s*/, '');
      if (BUILD_ERROR.test(message)) buildErrors.push(buildErrorIn(root, file, message));
      else {
        totals.errored++;
        failures.push({
          id: file,
          kind: 'errored',
          file,
          message: headline(message),
          excerpt: excerpt(root, message),
          ...placeOf(root, message),
        });
      }
      continue;
    }
    for (const assertion of assertions) {
      if (assertion.status === 'passed') totals.passed++;
      else if (SKIPPED.has(assertion.status ?? '')) totals.skipped++;
      else if (assertion.status === 'failed') {
        totals.failed++;
        failures.push(failureOf(root, file, assertion));
      }
    }
  }
  return { totals, failures, buildErrors };
}

function failureOf(root: string, file: string, assertion: JestAssertion): TestFailure {
  const text = (assertion.failureMessages ?? []).join('\n');
  const id = [file, ...(assertion.ancestorTitles ?? []), assertion.title ?? '(unnamed)'].join(' › ');
  const frame = firstProjectFrame(root, text);
  const line = assertion.location?.line ?? frame?.line;
  const column = assertion.location?.column ?? frame?.column;
  return {
    id,
    kind: 'failed',
    file: frame?.file ?? file,
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
    message: headline(text),
    ...expectedAndActual(text),
    excerpt: excerpt(root, text),
  };
}

/** The first line, and the next one too when the first only announces it ("…failed with 1 error:"). */
function headline(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const first = lines[0] ?? '';
  return first.endsWith(':') && lines[1] ? `${first} ${lines[1]}` : first || firstLine(text);
}

/** jest prints "Expected: 5 / Received: -1"; vitest (chai) says "expected -1 to be 5". */
function expectedAndActual(message: string): { expected?: string; actual?: string } {
  // `^\s*` tried from every line of a long run of blank lines backtracked for minutes (the tested code writes it).
  const text = foldBlankLines(message);
  const expected = /^\s*Expected: (.*)$/m.exec(text)?.[1];
  const received = /^\s*Received: (.*)$/m.exec(text)?.[1];
  if (expected !== undefined && received !== undefined) return { expected, actual: received };
  const chai = /expected (.+) to (?:be|equal|deeply equal|strictly equal|be close to) (.+?)(?: \/\/ .*)?$/m.exec(
    firstLine(text),
  );
  return chai ? { expected: chai[2]!, actual: chai[1]! } : {};
}

function placeOf(root: string, text: string): { line?: number; column?: number } {
  const frame = firstProjectFrame(root, text);
  return frame ? { line: frame.line, ...(frame.column ? { column: frame.column } : {}) } : {};
}

/** Where the parser or transformer says it stopped: vite, babel and esbuild each say it their way. */
function buildErrorIn(root: string, file: string, message: string): BuildError {
  const vite = /At file: \/?(.+?):(\d+):(\d+)/.exec(message);
  if (vite) {
    // vite names the file from the project root, with a leading slash, and counts columns from 0.
    return { file: vite[1]!, line: Number(vite[2]), column: Number(vite[3]) + 1, message: headline(message) };
  }
  const babel = /SyntaxError: (\S+?): (.*?) \((\d+):(\d+)\)/.exec(message);
  if (babel) {
    // babel counts columns from 0.
    return {
      file: relativeToRoot(root, babel[1]!),
      line: Number(babel[3]),
      column: Number(babel[4]) + 1,
      message: `SyntaxError: ${babel[2]}`,
    };
  }
  const esbuild = /(\S+?\.[cm]?[jt]sx?):(\d+):(\d+): ERROR: (.*)/.exec(message);
  if (esbuild) {
    return {
      file: relativeToRoot(root, esbuild[1]!),
      line: Number(esbuild[2]),
      column: Number(esbuild[3]),
      message: esbuild[4]!,
    };
  }
  return { file, message: headline(message) };
}
