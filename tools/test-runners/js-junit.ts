// The JUnit XML that bun (`bun test --reporter=junit --reporter-outfile=F`)
// and deno (`deno test --junit-path=F`) write, and what only their output
// says: a file that did not load, an error thrown outside any test. bun nests
// a testsuite per file and per describe block; deno has one testsuite per file
// and writes steps (`t.step`) as testcases named "parent > step" beside their
// parent. Ids are made as for jest: "file › describe › name". The shapes
// follow reports recorded from bun 1.4 and deno 2.9.
import { assertionHeadline } from './node-test.js';
import { foldBlankLines } from '../text/fold-blank-lines.js';
import { excerpt, firstProjectFrame, relativeToRoot } from './locations.js';
import { emptyTotals, type BuildError, type RunnerFindings, type TestFailure } from './report.js';
import { parseXml, type XmlElement } from './xml.js';

export function parseJsJunit(xml: string, root: string): RunnerFindings {
  const totals = emptyTotals();
  const failures: TestFailure[] = [];
  let document: XmlElement;
  try {
    document = parseXml(xml);
  } catch {
    return { totals, failures, buildErrors: [] };
  }
  const visit = (node: XmlElement, file: string | undefined, suites: string[]) => {
    const steps = stepParents(node);
    for (const child of node.children) {
      if (child.name === 'testsuite') {
        const name = child.attributes.name ?? '';
        const own = fileOf(root, child.attributes.file) ?? (file === undefined ? fileOf(root, name) : undefined);
        // A suite named after its file (the outer one) is not a describe block.
        const named = own !== undefined && fileOf(root, name) === own;
        visit(child, own ?? file, named || !name ? suites : [...suites, name]);
      } else if (child.name === 'testcase') {
        caseOf(child, file, suites, steps);
      } else {
        visit(child, file, suites);
      }
    }
  };
  const caseOf = (testcase: XmlElement, suiteFile: string | undefined, suites: string[], steps: Set<string>) => {
    const { attributes } = testcase;
    const name = attributes.name ?? '(unnamed)';
    const problem = testcase.children.find((child) => child.name === 'failure' || child.name === 'error');
    // A deno test with steps is a group, as a describe block is: it fails when a step does, and says only that.
    if (steps.has(name) && (!problem || /^\d+ test steps? failed/.test(problem.attributes.message ?? problem.text))) {
      return;
    }
    // deno names the file in classname.
    const file = fileOf(root, attributes.file) ?? suiteFile ?? fileOf(root, attributes.classname);
    if (testcase.children.some((child) => child.name === 'skipped')) {
      totals.skipped++;
      return;
    }
    if (!problem) {
      totals.passed++;
      return;
    }
    const kind = problem.name === 'failure' ? 'failed' : 'errored';
    totals[kind]++;
    const text = problem.text.trim();
    const message = problem.attributes.message ?? text;
    const frame = firstProjectFrame(root, text);
    const line = frame?.line ?? positive(attributes.line);
    const column = frame ? frame.column : positive(attributes.col ?? attributes.column);
    failures.push({
      id: [file ?? '(unknown file)', ...suites, ...stepPath(name, steps)].join(' › '),
      kind,
      ...((frame?.file ?? file) ? { file: frame?.file ?? file } : {}),
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
      message:
        assertionHeadline(message.replace(/^Uncaught /, '')) || `failed (${problem.attributes.type ?? 'no message'})`,
      ...expectedAndActual(text || message),
      ...(text ? { excerpt: excerpt(root, text) } : {}),
    });
  };
  visit(document, undefined, []);
  return { totals, failures, buildErrors: [] };
}

/** The names of a suite's testcases that are deno steps' parents: "a" when "a > b" is there too. */
function stepParents(suite: XmlElement): Set<string> {
  const names = suite.children.filter((child) => child.name === 'testcase').map((child) => child.attributes.name ?? '');
  return new Set(names.filter((name) => name && names.some((other) => other.startsWith(`${name} > `))));
}

/** "a > b > c", where "a" and "a > b" are parents, as ["a", "b", "c"]; a " > " in a plain name is left alone. */
function stepPath(name: string, parents: Set<string>): string[] {
  let parent = '';
  for (const candidate of parents) {
    if (name.startsWith(`${candidate} > `) && candidate.length > parent.length) parent = candidate;
  }
  return parent ? [...stepPath(parent, parents), name.slice(parent.length + 3)] : [name];
}

/** What the output says beside the report: files that did not load, errors thrown outside any test. */
export interface JsOutputProblems {
  buildErrors: BuildError[];
  /** One errored failure per file whose top-level code threw (its tests never ran). */
  failures: TestFailure[];
}

/**
 * bun prints a file that failed to load or threw at the top level in an "# Unhandled error between tests"
 * block ("error: Expected ";" but found "3"" or "TypeError: …", then "at /a.test.ts:4:13"); deno stops at a
 * syntax error ("error: SyntaxError: …") or a type error ("TS2322 [ERROR]: …") before any test runs, and
 * names a file that threw as "./a_test.ts (uncaught error)". Colours are taken out first.
 */
export function jsOutputProblems(root: string, output: string): JsOutputProblems {
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const buildErrors: BuildError[] = [];
  const failures: TestFailure[] = [];
  const seen = new Set<string>();
  const addBuildError = (error: BuildError) => {
    // bun goes on after the first syntax error with guesses that follow from it: the first says it.
    if (error.file && seen.has(error.file)) return;
    if (error.file) seen.add(error.file);
    buildErrors.push(error);
  };
  const addUncaught = (file: string | undefined, block: string, headline: string) => {
    const frame = firstProjectFrame(root, block);
    const where = file ?? frame?.file;
    if (where && seen.has(where)) return;
    if (where) seen.add(where);
    failures.push({
      id: where ?? '(unknown file)',
      kind: 'errored',
      ...(frame ? { file: frame.file, line: frame.line, column: frame.column } : where ? { file: where } : {}),
      message: `${headline} (thrown outside any test; the file's tests did not run)`,
      excerpt: excerpt(root, block),
    });
  };

  for (const match of text.matchAll(BUN_UNHANDLED)) {
    const header = match[1] ? relativeToRoot(root, match[1]) : undefined;
    const block = match[2]!;
    // A message line is neither source ("4 |   const = 3;") nor a caret under it.
    const errors = [
      ...block.matchAll(/^(?!\d+ \|)(?:error: )?(\S.*)\n(?:.*\n){0,3}?\s+at (?:.*? \()?(\S+?):(\d+):(\d+)\)?$/gm),
    ];
    const syntax = errors.find((error) => SYNTAX.test(error[1]!));
    if (syntax) addBuildError(place(root, syntax[2]!, syntax[3]!, syntax[4]!, syntax[1]!.trim()));
    else addUncaught(header, block, errorHeadline(block));
  }
  for (const match of text.matchAll(DENO_UNCAUGHT)) {
    addUncaught(relativeToRoot(root, match[1]!), match[3]!, match[2]!.trim());
  }
  for (const match of text.matchAll(DENO_ONE_LINE)) {
    addBuildError(place(root, match[2]!, match[3]!, match[4]!, match[1]!));
  }
  for (const match of text.matchAll(DENO_LOAD)) {
    addBuildError(place(root, match[3]!, match[4]!, match[5]!, (match[1] ?? match[2]!).trim()));
  }
  return { buildErrors, failures };
}

/** "test/a.test.ts:" then the block between two rules of dashes. */
const BUN_UNHANDLED = /^(?:(\S+):\n\n)?# Unhandled error between tests\n-+\n([\s\S]*?)^-+$/gm;
/** What bun's and deno's parsers say, as opposed to an error the code threw. */
const SYNTAX =
  /^(?:SyntaxError: )?(?:Unexpected|Expected|Unterminated|Invalid|Unexpected end|This constant must be initialized)/;
const DENO_UNCAUGHT = /^(\S+) \(uncaught error\)\nerror: (?:\(in promise\) )?(.*)\n((?:.+\n?)*)/gm;
/** Older deno: "error: The module's source code could not be parsed: … at file:///a_test.ts:4:13". */
const DENO_ONE_LINE = /^error: (.*?) at (file:\/\/\S+?):(\d+):(\d+)$/gm;
const DENO_LOAD =
  /^(?:error: ((?:SyntaxError: )?(?:Unexpected|Expected|Unterminated).*)|(TS\d+ \[ERROR\]: .*))\n(?:.*\n){0,3}?\s+at (file:\/\/\S+?):(\d+):(\d+)$/gm;

/** The error line of bun's block: the last line before the first frame that is neither source nor caret. */
function errorHeadline(block: string): string {
  const lines = block.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  const before = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).filter(
    (line) => line.trim() && !/^\s*\d+ \|/.test(line) && !/^\s*\^\s*$/.test(line),
  );
  return (before.at(-1) ?? 'an error').replace(/^error: /, '').trim();
}

function place(root: string, file: string, line: string, column: string, message: string): BuildError {
  return { file: relativeToRoot(root, file), line: Number(line), column: Number(column), message };
}

/**
 * Expected and actual values: bun's expect ("Expected: 5 / Received: -1", or a diff with "- Expected /
 * + Received" under it), node:assert as deno runs it ("-1 !== 5", or a diff under "+ actual - expected").
 */
export function expectedAndActual(message: string): { expected?: string; actual?: string } {
  // The patterns below backtracked for hours over a long run of blank lines (the tested code writes the message).
  const text = foldBlankLines(message);
  const expected = /^\s*Expected: (.*)$/m.exec(text)?.[1];
  const received = /^\s*Received: (.*)$/m.exec(text)?.[1];
  if (expected !== undefined && received !== undefined) return { expected: expected.trim(), actual: received.trim() };
  const strict = /strictly equal:\s*\n\s*\n(.+) !== (.+)$/m.exec(text);
  if (strict) return { expected: strict[2]!.trim(), actual: strict[1]!.trim() };
  // Anchored at the start of the text only (no m flag): tried from every line, the lazy group would read the rest each time.
  const bunDiff = /^([\s\S]*?)\n\s*\n- Expected\s+- \d+\n\+ Received\s+\+ \d+(?=\n|$)/.exec(text);
  if (bunDiff) return fromDiff(bunDiff[1]!.split('\n\n').at(-1)!, '-', '+');
  const nodeDiff = /^\+ actual - expected\n\s*\n((?:.+\n?)+)/m.exec(text);
  if (nodeDiff) return fromDiff(nodeDiff[1]!, '-', '+');
  // @std/assert's assertEquals: "[Diff] Actual / Expected", then "-   actual" and "+   expected".
  const std = /\[Diff\] Actual \/ Expected\s*\n\s*\n\s*-\s+(.*)\n\s*\+\s+(.*)\n/.exec(text);
  return std ? { expected: std[2]!.trim(), actual: std[1]!.trim() } : {};
}

/** Both sides of a short line diff, each on one line: "{ total: 2 }" and "{ total: 0 }". */
function fromDiff(diff: string, expectedMark: string, actualMark: string): { expected?: string; actual?: string } {
  const lines = diff.split('\n').filter((line) => line.trim());
  if (lines.length > 24 || !lines.some((line) => line.startsWith(expectedMark))) return {};
  const side = (mark: string) =>
    lines
      .filter((line) => line.startsWith(mark) || line.startsWith(' '))
      .map((line) => line.slice(1).trim())
      .join(' ')
      .replace(/,(\s*[}\]])/g, '$1');
  return { expected: side(expectedMark), actual: side(actualMark) };
}

/** A path-like name ("./a_test.ts", "src/a.test.js", "/abs/a.test.ts") as the model sees it; else undefined. */
function fileOf(root: string, name: string | undefined): string | undefined {
  if (!name || !/\.[cm]?[jt]sx?$/.test(name)) return undefined;
  return relativeToRoot(root, name);
}

function positive(value: string | undefined): number | undefined {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
}
