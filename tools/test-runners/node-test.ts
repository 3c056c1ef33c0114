// Node's own test runner (`node --test`). Its TAP and spec output lose the
// assertion's values and the nesting, so the run loads a small reporter of
// ours (written into the scratch directory) through NODE_OPTIONS: one JSON
// line per finished test, with its names, place, error, expected and actual.
// NODE_OPTIONS reaches `node --test` however the project starts it (npm
// scripts, other steps before it); the spec reporter keeps the usual output.
import { emptyTotals, type BuildError, type RunnerFindings, type TestFailure } from './report.js';
import { excerpt, firstLine, firstProjectFrame, relativeToRoot } from './locations.js';

export const NODE_REPORTER_FILE = 'gptoss-node-reporter.mjs';
export const NODE_REPORT_FILE = 'node-test.jsonl';

/** The reporter, as a module Node loads with --test-reporter (Node 18.17 and 20 on). */
export const NODE_REPORTER_SOURCE = `// Written by gptoss-agent for one test run; deleted after it.
import { inspect } from 'node:util';
const MAX = 4000;
const cut = (value) => (typeof value === 'string' ? value.slice(0, MAX) : undefined);
const shown = (value) => inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: 300 }).slice(0, 400);
export default async function* gptossReporter(source) {
  const names = new Map();
  const stderr = new Map();
  for await (const event of source) {
    const data = event.data ?? {};
    const file = typeof data.file === 'string' ? data.file : '';
    const nesting = Number.isInteger(data.nesting) ? data.nesting : 0;
    if (event.type === 'test:start') {
      const path = names.get(file) ?? [];
      path.length = nesting;
      path[nesting] = String(data.name);
      names.set(file, path);
    } else if (event.type === 'test:stderr') {
      stderr.set(file, ((stderr.get(file) ?? '') + String(data.message ?? '')).slice(-MAX));
    } else if (event.type === 'test:pass' || event.type === 'test:fail') {
      const error = data.details?.error;
      const cause = error?.cause instanceof Error || error?.cause?.stack ? error.cause : error;
      const record = {
        status: event.type === 'test:pass' ? 'pass' : 'fail',
        path: [...(names.get(file) ?? []).slice(0, nesting), String(data.name)],
        file,
        line: data.line,
        column: data.column,
        type: data.details?.type,
        skip: data.skip !== undefined && data.skip !== false,
        todo: data.todo !== undefined && data.todo !== false,
      };
      if (error) {
        record.failureType = error.failureType;
        record.message = cut(cause?.message ?? error.message);
        record.stack = cut(cause?.stack);
        if (cause && cause.code === 'ERR_ASSERTION' && 'expected' in cause && 'actual' in cause) {
          record.expected = shown(cause.expected);
          record.actual = shown(cause.actual);
        }
        if (nesting === 0 && String(data.name) === file) record.stderr = stderr.get(file);
      }
      yield JSON.stringify(record) + '\\n';
    }
  }
}
`;

interface NodeRecord {
  status?: unknown;
  path?: unknown;
  file?: unknown;
  line?: unknown;
  column?: unknown;
  type?: unknown;
  skip?: unknown;
  todo?: unknown;
  failureType?: unknown;
  message?: unknown;
  stack?: unknown;
  expected?: unknown;
  actual?: unknown;
  stderr?: unknown;
}

/** Records read at most: the file is written inside the sandbox, by code under test too. */
const MAX_RECORDS = 20_000;

export function parseNodeTestReport(text: string, root: string): RunnerFindings {
  const totals = emptyTotals();
  const failures: TestFailure[] = [];
  const buildErrors: BuildError[] = [];
  for (const line of text.split('\n').slice(0, MAX_RECORDS)) {
    const record = parseLine(line);
    if (!record) continue;
    const absolute = str(record.file) ?? '';
    const file = relativeToRoot(root, absolute);
    const names = Array.isArray(record.path) ? record.path.map(String) : [];
    const failed = record.status === 'fail';
    // The file itself, as Node runs each file as a test: only its own failure (a crash) counts.
    if (names.length === 1 && names[0] === absolute) {
      if (failed && record.failureType !== 'subtestsFailed')
        fileFailure(root, file, record, totals, failures, buildErrors);
      continue;
    }
    if (record.type === 'suite' && (!failed || record.failureType === 'subtestsFailed')) continue;
    if (!failed) {
      if (record.skip === true || record.todo === true) totals.skipped++;
      else totals.passed++;
      continue;
    }
    if (record.failureType === 'cancelledByParent') {
      totals.notRun++;
      continue;
    }
    if (record.todo === true) {
      totals.skipped++;
      continue;
    }
    const errored = record.type === 'suite' || record.failureType === 'hookFailed';
    if (errored) totals.errored++;
    else totals.failed++;
    failures.push(failureOf(root, file, names, record, errored));
  }
  // Files run in parallel and finish in any order; within a file, tests keep theirs.
  const byFile =
    <T>(fileOf: (item: T) => string) =>
    (a: T, b: T) =>
      fileOf(a).localeCompare(fileOf(b));
  failures.sort(byFile((failure) => failure.id.split(' › ')[0]!));
  buildErrors.sort(byFile((error) => error.file ?? ''));
  return { totals, failures, buildErrors };
}

function failureOf(root: string, file: string, names: string[], record: NodeRecord, errored: boolean): TestFailure {
  const message = str(record.message) ?? '';
  const stack = str(record.stack) ?? message;
  const frame = firstProjectFrame(root, stack);
  const line = frame?.line ?? num(record.line);
  const column = frame ? frame.column : num(record.column);
  const expected = str(record.expected);
  const actual = str(record.actual);
  return {
    id: [file, ...names].join(' › '),
    kind: errored ? 'errored' : 'failed',
    file: frame?.file ?? file,
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
    message: assertionHeadline(message) || 'failed',
    ...(expected !== undefined ? { expected } : {}),
    ...(actual !== undefined ? { actual } : {}),
    excerpt: excerpt(root, stack),
  };
}

/** A test file that failed by itself: a syntax error is a build error, anything else an errored file. */
function fileFailure(
  root: string,
  file: string,
  record: NodeRecord,
  totals: RunnerFindings['totals'],
  failures: TestFailure[],
  buildErrors: BuildError[],
): void {
  const stderr = str(record.stderr) ?? '';
  const syntax = /^(SyntaxError: .*)$/m.exec(stderr);
  if (syntax) {
    // Node prints the place first: "/abs/a.test.js:3".
    const place = /^(\S+?):(\d+)$/m.exec(stderr);
    buildErrors.push({
      file: place ? relativeToRoot(root, place[1]!) : file,
      ...(place ? { line: Number(place[2]) } : {}),
      message: syntax[1]!,
    });
    return;
  }
  totals.errored++;
  const frame = firstProjectFrame(root, stderr);
  failures.push({
    id: file,
    kind: 'errored',
    file: frame?.file ?? file,
    ...(frame ? { line: frame.line, ...(frame.column ? { column: frame.column } : {}) } : {}),
    message: firstErrorLine(stderr) || `the test file failed: ${firstLine(str(record.message) ?? '')}`,
    excerpt: excerpt(root, stderr),
  });
}

function firstErrorLine(text: string): string {
  return /^\s*((?:\w*Error|Error)\b.*)$/m.exec(text)?.[1]?.trim() ?? '';
}

/** The first line, and the next one too when the first only announces it ("…strictly equal:"). */
export function assertionHeadline(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const first = lines[0] ?? '';
  // The legend of a diff ("+ actual - expected") says nothing on its own.
  return first.endsWith(':') && lines[1] && !lines[1].startsWith('+ actual') ? `${first} ${lines[1]}` : first;
}

function parseLine(line: string): NodeRecord | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as NodeRecord) : undefined;
  } catch {
    return undefined;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
