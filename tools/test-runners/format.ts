// A test report as the model reads it: one line that says what happened,
// then build errors, then each failure with its id, place, message,
// expected and actual, and a short excerpt; tests that never ran; and the
// end of the output only when nothing structured could be read.
import { formatDuration } from '../text/format-duration.js';
import { plural } from '../text/plural.js';
import type { TestFailure, TestReport, TestTotals } from './report.js';

/** Failures shown in full; the rest are listed by id. */
const DETAILED_FAILURES = 8;
const LISTED_IDS = 40;

export function totalsLine(totals: TestTotals): string {
  const parts = [
    `${totals.failed} failed`,
    ...(totals.errored ? [`${totals.errored} errored`] : []),
    `${totals.passed} passed`,
    ...(totals.skipped ? [`${totals.skipped} skipped`] : []),
    ...(totals.notRun ? [`${totals.notRun} not run`] : []),
  ];
  return parts.join(', ');
}

export function headline(report: TestReport): string {
  const took = formatDuration(report.durationMs);
  const counts = `${totalsLine(report.totals)} (${report.runner}, ${took})`;
  if (report.runner === 'command' && (report.outcome === 'passed' || report.outcome === 'failed')) {
    // A command without a reporter: all we know is how it exited.
    return `The test command ${report.outcome === 'passed' ? 'succeeded' : 'failed'} (exit ${report.exitCode}, ${took}).`;
  }
  switch (report.outcome) {
    case 'passed':
      return `All tests passed: ${counts}.`;
    case 'failed':
      return `Tests failed: ${counts}.`;
    case 'build_error': {
      const errors = plural(report.buildErrors.length, 'build error');
      const ran = report.totals.passed + report.totals.failed + report.totals.errored > 0;
      return ran
        ? `The build failed in part (${errors}); the tests that could run: ${counts}.`
        : `The build failed (${errors}); no tests ran (${report.runner}, ${took}).`;
    }
    case 'crashed':
      return `A test crashed the run; tests after it never ran: ${counts}.`;
    case 'timed_out':
      return `The tests did not finish in time and were stopped after ${took}: ${totalsLine(report.totals)} so far.`;
    case 'interrupted':
      return 'The test run was interrupted by the user.';
    case 'not_installed':
      return 'The tests could not run: the test runner is not installed.';
    case 'no_tests':
      return `No tests ran (${report.runner}, ${took}).`;
    case 'error':
      return `The test command failed (exit ${report.exitCode ?? 'by signal'}) without a report to read.`;
  }
}

export function formatReport(report: TestReport, source: string, note?: string): string {
  const lines = [headline(report), `Command: ${report.command}  (from ${source})`];
  if (note) lines.push(`Note: ${note}`);
  if (report.message) lines.push(report.message);
  if (report.buildErrors.length > 0) {
    lines.push('', 'Build errors:');
    for (const error of report.buildErrors.slice(0, 20)) lines.push(`- ${place(error)}${error.message}`);
    if (report.buildErrors.length > 20) lines.push(`- … ${report.buildErrors.length - 20} more`);
  }
  if (report.failures.length > 0) {
    lines.push('', 'Failures:');
    report.failures.slice(0, DETAILED_FAILURES).forEach((failure, i) => lines.push(...failureLines(failure, i + 1)));
    const rest = report.failures.slice(DETAILED_FAILURES);
    if (rest.length > 0) {
      lines.push(`Also failing (${rest.length}):`, ...rest.slice(0, LISTED_IDS).map((failure) => `- ${failure.id}`));
      if (rest.length > LISTED_IDS) lines.push(`- … ${rest.length - LISTED_IDS} more`);
    }
  }
  if (report.notRun.length > 0) {
    lines.push('', `Never ran (${report.notRun.length}): ${report.notRun.slice(0, LISTED_IDS).join(', ')}`);
  }
  if (report.output) lines.push('', 'End of the output:', report.output);
  return lines.join('\n');
}

function failureLines(failure: TestFailure, n: number): string[] {
  const lines = [`${n}. ${failure.kind === 'errored' ? '[error] ' : ''}${failure.id}`];
  if (failure.file) lines.push(`   at ${place(failure).replace(/ $/, '')}`);
  lines.push(`   ${failure.message}`);
  if (failure.expected !== undefined || failure.actual !== undefined) {
    lines.push(`   expected: ${failure.expected ?? '?'}`, `   actual:   ${failure.actual ?? '?'}`);
  }
  const excerpt = failure.excerpt
    ?.split('\n')
    .filter((line) => line.trim() !== failure.message.trim() && line.trim() !== '')
    .join('\n');
  if (excerpt) lines.push(...excerpt.split('\n').map((line) => `   | ${line}`));
  return lines;
}

function place(item: { file?: string; line?: number; column?: number }): string {
  if (!item.file) return '';
  return `${item.file}${item.line !== undefined ? `:${item.line}` : ''}${item.column !== undefined ? `:${item.column}` : ''} `;
}
