// How `fix` shows its work without --json: the agent's progress and answers
// on stderr (as exec shows progress), one line per test run, and the summary
// on stdout at the end.
import type { FixEvent, FixEventSink, FixSummary } from '../agent/events.js';
import { formatDuration } from '../../tools/text/format-duration.js';
import { headline } from '../../tools/test-runners/format.js';
import { failingIds, type TestReport } from '../../tools/test-runners/report.js';
import { plural } from '../../tools/text/plural.js';
import { plainWriter } from './exec-output.js';
import type { ModeIO } from './options.js';
import { painter } from './terminal-style.js';

export function fixPlainWriter(io: ModeIO, options: { showReasoning: boolean }): FixEventSink {
  const agentProgress = plainWriter({ ...io, stdout: io.stderr }, options);
  const paint = painter(io.stderr, io.env);
  // Answers and progress share stderr here; plainWriter ends a text before a tool line starts.
  return (event: FixEvent) => {
    if (event.type === 'fix.tests') {
      const label = event.round === 0 ? 'tests' : `tests after round ${event.round}`;
      const colour = event.report.outcome === 'passed' ? 'green' : 'yellow';
      io.stderr.write(`${paint(colour, `${label}:`)} ${headline(event.report)}\n`);
    } else if (event.type === 'fix.completed') {
      io.stdout.write(`${formatFixSummary(event.summary)}\n`);
    } else {
      agentProgress(event);
    }
  };
}

const MAX_LISTED = 20;
/** Failing tests named under a test run in the UI. */
const RUN_LISTED = 5;

/** One test run of the fix flow, for the UI: what happened, and the first failing tests. */
export function formatTestRun(round: number, report: TestReport): string {
  const label = round === 0 ? 'Tests before the fix' : `Tests after round ${round}`;
  const failing = failingIds(report);
  const lines = [`${label}: ${headline(report)}`, ...failing.slice(0, RUN_LISTED).map((id) => `  ✗ ${id}`)];
  if (failing.length > RUN_LISTED) lines.push(`  … ${failing.length - RUN_LISTED} more`);
  return lines.join('\n');
}

export function fixSummaryTone(summary: FixSummary): 'info' | 'warning' | 'error' {
  return summary.outcome === 'passed' ? 'info' : summary.outcome === 'error' ? 'error' : 'warning';
}

export function formatFixSummary(summary: FixSummary): string {
  const lines = [summaryHeadline(summary)];
  const list = (label: string, ids: string[]) => {
    if (ids.length === 0) return;
    lines.push(`${label} (${ids.length}):`, ...ids.slice(0, MAX_LISTED).map((id) => `  ${id}`));
    if (ids.length > MAX_LISTED) lines.push(`  … ${ids.length - MAX_LISTED} more`);
  };
  list('Fixed', summary.fixed);
  list('Still failing', summary.stillFailing);
  list('Newly failing', summary.newlyFailing);
  if (summary.buildErrors > 0) lines.push(`Build errors: ${summary.buildErrors}`);
  if (summary.files.length > 0) {
    const added = summary.files.reduce((sum, file) => sum + file.added, 0);
    const removed = summary.files.reduce((sum, file) => sum + file.removed, 0);
    lines.push(`Files changed (${summary.files.length}, +${added} -${removed}):`);
    for (const file of summary.files) lines.push(`  ${file.path} | +${file.added} -${file.removed}`);
  } else {
    lines.push('Files changed: none');
  }
  const { prompt, cached, output } = summary.tokens;
  lines.push(
    `Rounds: ${summary.rounds} of ${summary.maxRounds} · ${formatDuration(summary.durationMs)} · ` +
      `tokens: ${prompt} prompt${cached ? ` (+${cached} cached)` : ''}, ${output} output`,
  );
  return lines.join('\n');
}

function summaryHeadline(summary: FixSummary): string {
  const { before, after } = summary;
  // Counts only where the runner gave them; a plain command says no more than how it exited.
  switch (summary.outcome) {
    case 'passed':
      if (!after) {
        return summary.rounds === 0 ? 'The test command exits 0; nothing to fix.' : 'The test command now exits 0.';
      }
      return summary.rounds === 0
        ? `All tests pass (${after.passed} passed); nothing to fix.`
        : `All tests pass now (${after.passed} passed)${before ? `; ${summary.fixed.length} fixed` : ''}.`;
    case 'failing': {
      const tail = summary.message ? ` ${summary.message}` : '';
      if (!after || !before) {
        const exit = summary.exitAfter === null ? 'killed by a signal' : `exit ${summary.exitAfter ?? '?'}`;
        return `Not fixed: the test command still fails (${exit}).${tail}`;
      }
      const atStart = before.failed + before.errored;
      if (summary.stillFailing.length === 0 && summary.buildErrors > 0) {
        return `Not fixed: the build fails (${plural(summary.buildErrors, 'build error')}; ${atStart} tests failed at the start).${tail}`;
      }
      return `Not fixed: ${plural(summary.stillFailing.length, 'test')} still failing (${atStart} at the start).${tail}`;
    }
    case 'not_run':
      return `The tests could not run: ${summary.message ?? 'unknown reason'}`;
    case 'interrupted':
      return 'Interrupted.';
    case 'error':
      return `Stopped: ${summary.message ?? 'the model failed'}`;
  }
}
