// Which tests to run again to see whether a change fixed the failures of a
// report: the failing test files (and the files that did not build) where
// the runner selects by file; undefined when only the whole suite will do.
import type { TestSubset } from './plan.js';
import type { TestReport } from './report.js';

export function rerunSubset(report: TestReport): TestSubset | undefined {
  const files = new Set<string>();
  for (const failure of report.failures) {
    const file = testFileOf(report, failure.id, failure.file);
    if (!file) return undefined;
    files.add(file);
  }
  for (const error of report.buildErrors) {
    if (!error.file) return undefined;
    files.add(error.file);
  }
  return files.size > 0 ? { files: [...files].sort() } : undefined;
}

function testFileOf(report: TestReport, id: string, file: string | undefined): string | undefined {
  switch (report.runner) {
    case 'vitest':
    case 'jest':
    case 'node':
    case 'mocha':
    case 'bun':
    case 'deno':
      // "src/a.test.ts › suite › name": the id starts with the test file; `file` may be the code under test.
      return id.split(' › ')[0];
    case 'pytest':
      return id.split('::')[0];
    case 'go':
      // Any file selects its package.
      return file;
    default:
      return undefined;
  }
}
