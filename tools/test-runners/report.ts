// What a test run found, the same shape for every runner: totals, each
// failure with its full id and place, build errors, tests that never ran,
// and the cases that are not test failures at all (a compile error, a
// crash, a timeout, a runner that is not installed).

export type RunnerName =
  | 'vitest'
  | 'jest'
  /** Node's own test runner, `node --test`. */
  | 'node'
  | 'mocha'
  | 'bun'
  | 'deno'
  | 'pytest'
  | 'cargo'
  | 'go'
  | 'maven'
  | 'gradle'
  | 'command';

export type TestOutcome =
  /** Every test that ran passed. */
  | 'passed'
  /** Some tests failed (or errored). */
  | 'failed'
  /** The code or the tests did not compile; some or all tests could not run. */
  | 'build_error'
  /** The runner or a test process died (a panic, a signal) and tests were left unrun. */
  | 'crashed'
  | 'timed_out'
  | 'interrupted'
  /** The runner (or the project's dependencies) is not installed. */
  | 'not_installed'
  /** The run succeeded but found no tests (e.g. a name filter that matches nothing). */
  | 'no_tests'
  /** The command failed in a way the parser does not understand; see `output`. */
  | 'error';

export interface TestTotals {
  passed: number;
  failed: number;
  /** Errors outside an assertion: a suite that could not load, a fixture that failed. */
  errored: number;
  skipped: number;
  /** Known to exist but never run (after a crash). */
  notRun: number;
}

export interface TestFailure {
  /** The full id as the runner names it: "src/a.test.ts › suite › name", "tests/test_a.py::TestX::test_y". */
  id: string;
  kind: 'failed' | 'errored';
  /** Where it failed, relative to the repository root. */
  file?: string;
  line?: number;
  column?: number;
  message: string;
  expected?: string;
  actual?: string;
  /** A few lines of the runner's report (stack frames outside the project left out). */
  excerpt?: string;
}

export interface BuildError {
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

export interface TestReport {
  runner: RunnerName;
  /** The exact command line that ran. */
  command: string;
  outcome: TestOutcome;
  totals: TestTotals;
  failures: TestFailure[];
  buildErrors: BuildError[];
  /** Ids of tests that never ran because of a crash or a timeout. */
  notRun: string[];
  exitCode: number | null;
  durationMs: number;
  /** For crashes, timeouts, missing runners: what happened and what to do. */
  message?: string;
  /** The end of the output, when nothing structured could be read from it. */
  output?: string;
}

/** What one runner's report says (every parser returns this), before the way the command ended is weighed. */
export interface RunnerFindings {
  totals: TestTotals;
  failures: TestFailure[];
  buildErrors: BuildError[];
  /** A test binary died (a panic, a signal) and left tests unrun: go and cargo say so. */
  crashed?: boolean;
  /** Ids of the tests it left unrun. */
  notRun?: string[];
}

export function emptyTotals(): TestTotals {
  return { passed: 0, failed: 0, errored: 0, skipped: 0, notRun: 0 };
}

/** The outcome the structured findings imply, worst first. */
export function outcomeOf(parts: RunnerFindings): TestOutcome {
  if (parts.buildErrors.length > 0) return 'build_error';
  if (parts.crashed) return 'crashed';
  if (parts.failures.length > 0 || parts.totals.failed > 0 || parts.totals.errored > 0) return 'failed';
  if (parts.totals.passed === 0 && parts.totals.skipped === 0) return 'no_tests';
  return 'passed';
}

/** Whether the run's totals come from a runner's report: a plain command, or a runner that wrote none, has only its exit code. */
export function hasCounts(report: TestReport): boolean {
  const { passed, failed, errored, skipped, notRun } = report.totals;
  return passed + failed + errored + skipped + notRun > 0 || report.failures.length > 0;
}

/** Ids of the failures, for comparing two runs. */
export function failingIds(report: TestReport): string[] {
  return report.failures.map((failure) => failure.id);
}
