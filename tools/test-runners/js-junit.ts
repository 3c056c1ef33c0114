// The JUnit XML that bun (`bun test --reporter=junit --reporter-outfile=F`)
// and deno (`deno test --junit-path=F`) write. Both nest a testsuite per
// file (bun also one per describe block) around testcases that carry a file
// and line; ids are made as for jest: "file › describe › name". Neither
// runner is installed where this was written: the formats follow their
// documentation, and the tests use sample reports shaped like them.
import { assertionHeadline } from './node-test.js';
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
    for (const child of node.children) {
      if (child.name === 'testsuite') {
        const name = child.attributes.name ?? '';
        const own = fileOf(root, child.attributes.file) ?? (file === undefined ? fileOf(root, name) : undefined);
        // A suite named after its file (the outer one) is not a describe block.
        const named = own !== undefined && fileOf(root, name) === own;
        visit(child, own ?? file, named || !name ? suites : [...suites, name]);
      } else if (child.name === 'testcase') {
        caseOf(child, file, suites);
      } else {
        visit(child, file, suites);
      }
    }
  };
  const caseOf = (testcase: XmlElement, suiteFile: string | undefined, suites: string[]) => {
    const { attributes } = testcase;
    // deno names the file in classname.
    const file = fileOf(root, attributes.file) ?? suiteFile ?? fileOf(root, attributes.classname);
    if (testcase.children.some((child) => child.name === 'skipped')) {
      totals.skipped++;
      return;
    }
    const problem = testcase.children.find((child) => child.name === 'failure' || child.name === 'error');
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
      id: [file ?? '(unknown file)', ...suites, attributes.name ?? '(unnamed)'].join(' › '),
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

/**
 * A module that did not load, from the runner's output. deno: "error: The module's
 * source code could not be parsed: … at file:///a_test.ts:4:13" and type errors
 * "TS2322 [ERROR]: …" with an "at" line under them; bun: "error: Unexpected ;"
 * with an "at /a.test.ts:4:13" line under it.
 */
export function jsLoadErrors(root: string, output: string): BuildError[] {
  const errors: BuildError[] = [];
  const deno = /^error: (.*?) at (file:\/\/\S+?):(\d+):(\d+)$/gm;
  for (const match of output.matchAll(deno)) errors.push(place(root, match[2]!, match[3]!, match[4]!, match[1]!));
  const pattern =
    /^(?:error: ((?:SyntaxError: )?(?:Unexpected|Expected|Unterminated).*)|(TS\d+ \[ERROR\]: .*))\n(?:.*\n){0,3}?\s+at (\S+?):(\d+):(\d+)$/gm;
  for (const match of output.matchAll(pattern)) {
    errors.push(place(root, match[3]!, match[4]!, match[5]!, (match[1] ?? match[2]!).trim()));
  }
  return errors;
}

function place(root: string, file: string, line: string, column: string, message: string): BuildError {
  return { file: relativeToRoot(root, file), line: Number(line), column: Number(column), message };
}

/** bun's expect prints "Expected: 5 / Received: -1"; deno's assertEquals a one-line diff "-   -1 / +   5". */
function expectedAndActual(text: string): { expected?: string; actual?: string } {
  const expected = /^\s*Expected: (.*)$/m.exec(text)?.[1];
  const received = /^\s*Received: (.*)$/m.exec(text)?.[1];
  if (expected !== undefined && received !== undefined) return { expected: expected.trim(), actual: received.trim() };
  const diff = /\[Diff\] Actual \/ Expected\s*\n\s*\n\s*-\s+(.*)\n\s*\+\s+(.*)\n/.exec(text);
  return diff ? { expected: diff[2]!.trim(), actual: diff[1]!.trim() } : {};
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
