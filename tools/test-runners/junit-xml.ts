// Reads JUnit XML reports: pytest's (`--junitxml`, xunit1 flavour, which
// carries file and line) and Maven Surefire's or Gradle's (one file per class).
import { excerpt, firstLine, relativeToRoot } from './locations.js';
import { emptyTotals, type BuildError, type RunnerFindings, type TestFailure } from './report.js';
import { findAll, parseXml, type XmlElement } from './xml.js';
import { escapeRegExp } from '../text/escape-reg-exp.js';

export type JunitStyle = 'pytest' | 'java';

export function parseJunit(documents: readonly string[], root: string, style: JunitStyle): RunnerFindings {
  const totals = emptyTotals();
  const failures: TestFailure[] = [];
  const buildErrors: BuildError[] = [];
  for (const document of documents) {
    for (const testcase of findAll(parseXml(document), 'testcase')) {
      const problem = testcase.children.find((child) => child.name === 'failure' || child.name === 'error');
      if (testcase.children.some((child) => child.name === 'skipped')) {
        totals.skipped++;
        continue;
      }
      if (!problem) {
        totals.passed++;
        continue;
      }
      if (style === 'pytest' && problem.attributes.message === 'collection failure') {
        buildErrors.push(collectionError(root, testcase, problem));
        continue;
      }
      const kind = problem.name === 'failure' ? 'failed' : 'errored';
      totals[kind]++;
      failures.push(
        style === 'pytest' ? pytestFailure(root, testcase, problem, kind) : javaFailure(root, testcase, problem, kind),
      );
    }
  }
  return { totals, failures, buildErrors };
}

/** pytest's node id: tests/test_a.py::TestClass::test_name. */
function pytestFailure(
  root: string,
  testcase: XmlElement,
  problem: XmlElement,
  kind: TestFailure['kind'],
): TestFailure {
  const { classname = '', name = '(unnamed)', file } = testcase.attributes;
  const module = file ? file.replace(/\.py$/, '').split('/').join('.') : '';
  const classPart = module && classname.startsWith(module) ? classname.slice(module.length + 1) : '';
  const id = file ? [file, ...(classPart ? [classPart] : []), name].join('::') : `${classname}::${name}`;
  // pytest ends the long report with "path.py:LINE: ErrorType" where the test failed.
  const places = [...problem.text.matchAll(/^(\S+\.py):(\d+): \w+/gm)];
  const place = places.at(-1);
  return {
    id,
    kind,
    ...(place ? { file: relativeToRoot(root, place[1]!), line: Number(place[2]) } : file ? { file } : {}),
    message: firstLine(problem.attributes.message ?? problem.text),
    excerpt: excerpt(root, problem.text, 16),
  };
}

/** A module that could not be imported: pytest says where Python stopped reading it. */
function collectionError(root: string, testcase: XmlElement, problem: XmlElement): BuildError {
  const text = problem.text;
  const syntax = [...text.matchAll(/File "([^"]+)", line (\d+)/g)].at(-1);
  const errorLine = [...text.matchAll(/^E\s+(\w+(?:Error|Exception)\b.*)$/gm)].at(-1)?.[1];
  const file = syntax ? relativeToRoot(root, syntax[1]!) : testcase.attributes.file;
  return {
    ...(file ? { file } : {}),
    ...(syntax ? { line: Number(syntax[2]) } : {}),
    message: errorLine?.trim() ?? `could not import ${testcase.attributes.name ?? 'a test module'}`,
  };
}

/** Surefire and Gradle: ids as -Dtest and --tests take them, com.example.CalcTest#adds. */
function javaFailure(root: string, testcase: XmlElement, problem: XmlElement, kind: TestFailure['kind']): TestFailure {
  const { classname = '', name = '(unnamed)' } = testcase.attributes;
  const message = problem.attributes.message ?? firstLine(problem.text);
  const simpleClass = classname.split('.').at(-1) ?? classname;
  // The frame of the test class itself: "at com.example.CalcTest.adds(CalcTest.java:12)".
  const frame = new RegExp(`\\((${escapeRegExp(simpleClass)}\\.(?:java|kt|groovy|scala)):(\\d+)\\)`).exec(problem.text);
  const comparison = /expected:? ?<(.*)> but was:? ?<(.*)>/s.exec(message);
  return {
    id: `${classname}#${name}`,
    kind,
    // The report names the source file without its directory.
    ...(frame ? { file: frame[1]!, line: Number(frame[2]) } : {}),
    message: firstLine(message),
    ...(comparison ? { expected: comparison[1]!, actual: comparison[2]! } : {}),
    excerpt: excerpt(root, problem.text, 16),
  };
}
