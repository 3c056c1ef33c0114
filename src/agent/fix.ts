// The fix flow, for `gptoss-agent fix` and the terminal UI's /fix: run the
// tests; while some fail and rounds are left, give the agent the report for
// one turn (it reads, searches, patches; each applied patch re-runs the
// failing tests), then run the whole suite again. It ends with a summary:
// what was fixed, what still fails, the files changed, time and tokens.
// Events go out through `emit`; approvals go through the agent's approver.
import { promptText } from '../../tools/package/files.js';
import { failingIds, hasCounts, type TestReport } from '../../tools/test-runners/report.js';
import type { ApprovalRule } from './approvals.js';
import { ChangeTally } from './change-tally.js';
import type { FixEventSink, FixSummary, TurnUsage } from './events.js';
import { FixFocus, fixTools } from './fix-tools.js';
import { fillTemplate } from './instructions.js';
import type { Agent } from './loop.js';

export const DEFAULT_FIX_ROUNDS = 3;

export interface FixOptions {
  /** An agent set up with fixTools(focus), the fix.md prompt, and `changes.record` as onChangesApplied (see fixParts). */
  agent: Agent;
  focus: FixFocus;
  changes: ChangeTally;
  /** The repository root, for the diffstat. */
  root: string;
  /** Agent turns allowed after the first test run. */
  maxRounds?: number;
  emit: FixEventSink;
  signal?: AbortSignal;
  /** Injected for tests; milliseconds. */
  now?: () => number;
}

/**
 * What an agent for the fix flow is made with, for `fix` and the UI's `/fix` alike:
 * its set-up takes `tools`, `basePrompt` and `onChangesApplied`; runFix takes `focus` and `changes`.
 */
export function fixParts() {
  const focus = new FixFocus();
  const changes = new ChangeTally();
  return { focus, changes, tools: fixTools(focus), basePrompt: 'fix.md', onChangesApplied: changes.record };
}

/**
 * Asking for a fix is asking for the project's tests to run: while it works, run_tests
 * never asks (inside the sandbox; outside it every command asks whatever the rules).
 */
export async function runFix(options: FixOptions): Promise<FixSummary> {
  const { rules } = options.agent;
  const granted = rules.some((rule) => rule.kind === 'tool' && rule.tool === 'run_tests');
  const rule: ApprovalRule = { kind: 'tool', tool: 'run_tests' };
  if (!granted) rules.push(rule);
  try {
    return await fixRounds(options);
  } finally {
    if (!granted) rules.splice(rules.indexOf(rule), 1);
  }
}

async function fixRounds(options: FixOptions): Promise<FixSummary> {
  const { agent, focus, emit } = options;
  const signal = options.signal ?? new AbortController().signal;
  const now = options.now ?? (() => performance.now());
  const maxRounds = options.maxRounds ?? DEFAULT_FIX_ROUNDS;
  const started = now();
  const tokens = { prompt: 0, cached: 0, output: 0 };
  const calls = { toolCalls: 0, malformedGenerations: 0 };
  let rounds = 0;

  const finish = async (
    outcome: FixSummary['outcome'],
    first: TestReport | undefined,
    last: TestReport | undefined,
    message?: string,
  ): Promise<FixSummary> => {
    const summary = summarize(outcome, first, last, {
      rounds,
      maxRounds,
      tokens,
      ...calls,
      files: await options.changes.diffstat(options.root),
      durationMs: Math.round(now() - started),
      ...(message ? { message } : {}),
    });
    emit({ type: 'fix.completed', summary });
    return summary;
  };

  /** The whole suite, through the agent's approval gate; the report, or why there is none. */
  const runTests = async (round: number): Promise<{ report: TestReport; text: string } | { failure: string }> => {
    const result = await agent.callTool('run_tests', {}, signal);
    const report = result.data as TestReport | undefined;
    if (result.isError || !report?.outcome) return { failure: result.output };
    emit({ type: 'fix.tests', round, report });
    focus.update(report);
    return { report, text: result.output };
  };
  const notRun = (failure: string, first?: TestReport, last?: TestReport) =>
    finish(signal.aborted ? 'interrupted' : 'not_run', first, last, failure);

  const start = await runTests(0);
  if ('failure' in start) return notRun(start.failure);
  const first = start.report;
  if (first.outcome === 'passed') return finish('passed', first, first);
  if (first.outcome === 'not_installed') return finish('not_run', first, first, first.message);

  let last = start;
  while (rounds < maxRounds) {
    rounds++;
    const template = promptText(rounds === 1 ? 'fix-first.md' : 'fix-again.md');
    const turn = await agent.runTurn(fillTemplate(template, { report: last.text }), signal, {
      title: `Fixing the failing tests, round ${rounds} of ${maxRounds}`,
    });
    addUsage(tokens, turn.usage);
    calls.toolCalls += turn.usage.toolCalls;
    calls.malformedGenerations += turn.usage.malformedGenerations;
    if (turn.stopReason === 'aborted') return finish('interrupted', first, last.report);
    if (turn.stopReason === 'error') return finish('error', first, last.report, turn.error?.message);

    const next = await runTests(rounds);
    if ('failure' in next) return notRun(next.failure, first, last.report);
    last = next;
    if (next.report.outcome === 'passed') return finish('passed', first, next.report);
  }
  return finish(
    'failing',
    first,
    last.report,
    `The tests still fail after ${maxRounds} round${maxRounds === 1 ? '' : 's'}.`,
  );
}

function summarize(
  outcome: FixSummary['outcome'],
  first: TestReport | undefined,
  last: TestReport | undefined,
  rest: Pick<
    FixSummary,
    'rounds' | 'maxRounds' | 'tokens' | 'toolCalls' | 'malformedGenerations' | 'files' | 'durationMs' | 'message'
  >,
): FixSummary {
  const before = first ? failingIds(first) : [];
  const after = last ? failingIds(last) : [];
  // Only a run in which the tests actually ran can say a test now passes.
  const ran = last?.outcome === 'passed' || last?.outcome === 'failed';
  return {
    outcome,
    fixed: ran ? before.filter((id) => !after.includes(id)) : [],
    stillFailing: after,
    newlyFailing: after.filter((id) => !before.includes(id)),
    buildErrors: last?.buildErrors.length ?? 0,
    ...(first && hasCounts(first) ? { before: first.totals } : {}),
    ...(last && hasCounts(last) ? { after: last.totals } : {}),
    ...(first ? { exitBefore: first.exitCode } : {}),
    ...(last ? { exitAfter: last.exitCode } : {}),
    ...rest,
  };
}

function addUsage(tokens: FixSummary['tokens'], usage: TurnUsage): void {
  tokens.prompt += usage.promptTokens;
  tokens.cached += usage.cachedPromptTokens;
  tokens.output += usage.outputTokens;
}
