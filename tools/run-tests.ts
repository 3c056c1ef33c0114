// run_tests: finds the project's test command, runs it (or a subset) in the
// sandbox with the runner's machine-readable reporter, and returns a
// structured report: totals, failures with ids and places, build errors,
// crashes, timeouts, and a missing runner said as such.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { askToRun, sandboxOf } from './sandbox/exec-approval.js';
import { formatDuration } from './text/format-duration.js';
import { promptText } from './package/files.js';
import type { SandboxResult } from './sandbox/sandbox.js';
import { detectTestCommand } from './test-runners/detect.js';
import { formatReport, totalsLine } from './test-runners/format.js';
import { missingRunner } from './test-runners/missing-runner.js';
import { planTests, type Findings, type TestPlan, type TestSubset } from './test-runners/plan.js';
import { outcomeOf, type TestReport } from './test-runners/report.js';
import { defineTool, notApprovedResult, ToolError, type ToolResult } from './tool.js';

export interface RunTestsArgs {
  files?: string[];
  name?: string;
  /**
   * Also show the end of the command's output after the report. Not in the schema: set by
   * container.exec, which answers the model's own test command with the report and its output.
   */
  outputTail?: boolean;
}

/** Output kept per stream: enough for cargo's text and any crash, far below memory limits. */
const TEST_OUTPUT_CHARS = 400_000;
/** The end of the output shown when nothing structured could be read. */
const OUTPUT_TAIL_CHARS = 3000;
/** Refused report files named in the note; the rest are counted. */
const REFUSED_SHOWN = 5;

export const runTestsTool = defineTool<RunTestsArgs>({
  name: 'run_tests',
  kind: 'exec',
  description: promptText('tools/run_tests.md'),
  parameters: {
    type: 'object',
    properties: {
      files: { type: 'array', items: { type: 'string' }, description: 'Test files to run; default all' },
      name: { type: 'string', description: 'Only tests whose name matches' },
    },
    additionalProperties: false,
  },
  describe(args) {
    const parts = [...(args.files ?? []), ...(args.name ? [`"${args.name}"`] : [])];
    return parts.length ? `run tests ${parts.join(' ')}` : 'run the tests';
  },
  async execute(args, ctx): Promise<ToolResult> {
    const sandbox = sandboxOf(ctx, 'run_tests');
    const root = ctx.workspace.root;
    const detected = await detectTestCommand(root, ctx.testCommand);
    if (!detected) {
      throw new ToolError(
        'No test command was found (no AGENTS.md test command, package.json test script, pytest, deno.json, Cargo.toml, ' +
          'go.mod, Maven, Gradle or Makefile test target). Ask the user how to run the tests; they can set ' +
          '"testCommand" in .gptoss-agent/config.json.',
      );
    }
    const files: string[] = [];
    for (const file of args.files ?? []) files.push((await ctx.workspace.resolveForRead(file)).relative);
    const subset: TestSubset = { ...(files.length ? { files } : {}), ...(args.name ? { name: args.name } : {}) };

    const scratch = await mkdtemp(path.join(os.tmpdir(), 'gptoss-tests-'));
    try {
      const plan = await planTests(detected.command, subset, { root, scratch, startedAt: Date.now() });
      const outcome = await askToRun(ctx, 'run_tests', plan.command, await sandbox.state());
      if (!outcome.approved) return notApprovedResult(outcome, 'running the tests');
      const result = await sandbox.run({
        root,
        cwd: root,
        command: plan.command,
        mergeStderr: plan.mergeStderr,
        writable: [scratch],
        timeoutMs: sandbox.testTimeoutMs,
        signal: ctx.signal,
        maxOutputChars: TEST_OUTPUT_CHARS,
        ...(plan.onStdoutLine ? { onStdoutLine: plan.onStdoutLine } : {}),
      });
      const findings = await plan.read(result);
      const report = withLimitNote(assembleReport(plan, findings, result, sandbox.testTimeoutMs), result.limitNote);
      const formatted = formatReport(report, detected.source, joinNotes(plan.note, refusedNote(findings)));
      const tail = args.outputTail && !report.output ? outputTail(`${result.stdout}\n${result.stderr}`) : '';
      return {
        output: tail ? `${formatted}\n\nEnd of the output:\n${tail}` : formatted,
        data: report,
        isError: report.outcome === 'interrupted',
        summary:
          plan.runner !== 'command' && (report.outcome === 'passed' || report.outcome === 'failed')
            ? totalsLine(report.totals)
            : report.outcome.replace('_', ' '),
      };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
});

/** Findings and the way the command ended, made into one report. */
export function assembleReport(
  plan: TestPlan,
  findings: Findings,
  result: SandboxResult,
  timeoutMs: number,
): TestReport {
  const report: TestReport = {
    runner: plan.runner,
    command: plan.command,
    outcome: outcomeOf(findings),
    totals: findings.totals,
    failures: findings.failures,
    buildErrors: findings.buildErrors,
    notRun: findings.notRun ?? [],
    exitCode: result.exitCode,
    durationMs: result.durationMs,
  };
  const tail = () => outputTail(`${result.stdout}\n${result.stderr}`);
  if (result.aborted) return { ...report, outcome: 'interrupted' };
  if (result.timedOut) {
    return {
      ...report,
      outcome: 'timed_out',
      message: `The limit is ${formatDuration(timeoutMs)} ("testTimeout" in .gptoss-agent/config.json, in seconds). Run fewer tests (files or name), or look for a test that hangs.`,
      ...(findings.reported ? {} : { output: tail() }),
    };
  }
  const missing = findings.reported
    ? undefined
    : missingRunner(plan.runner, result.exitCode, `${result.stdout}\n${result.stderr}`);
  if (missing) {
    return {
      ...report,
      outcome: 'not_installed',
      message: `Not installed: ${missing}. This cannot be fixed from inside the sandbox (no network): tell the user.`,
    };
  }
  if (!findings.reported) {
    if (result.exitCode === null) {
      return {
        ...report,
        outcome: 'crashed',
        message: `The test command was killed by ${result.signal}.`,
        output: tail(),
      };
    }
    // A plain command is judged by its exit code; a runner that wrote no report failed before it could.
    const passed = result.exitCode === 0;
    const silentRunner = passed && plan.runner !== 'command';
    return {
      ...report,
      outcome: passed ? 'passed' : plan.runner === 'command' ? 'failed' : 'error',
      ...(silentRunner ? { message: 'No report was written; judged by the exit code alone.' } : { output: tail() }),
    };
  }
  // All passed by the report, yet the command failed: a coverage threshold, a hook, a teardown error.
  if (report.outcome === 'passed' && result.exitCode !== 0) {
    return {
      ...report,
      outcome: 'error',
      message: `Every test passed, but the command exited with ${result.exitCode ?? result.signal}.`,
      output: tail(),
    };
  }
  return report;
}

/** A run that ran into the sandbox's memory or process limit says so first: its failures may be only that. */
function withLimitNote(report: TestReport, note: string | undefined): TestReport {
  if (!note) return report;
  return { ...report, message: report.message ? `${note} ${report.message}` : note };
}

/** Report files the command left as links, FIFOs or giants: never read, and the model is told why. */
function refusedNote(findings: Findings): string | undefined {
  const refused = findings.refused ?? [];
  if (refused.length === 0) return undefined;
  const judged = findings.reported ? '' : ' The result is judged by the exit code and the output.';
  const shown = refused.slice(0, REFUSED_SHOWN).join('; ');
  const more = refused.length > REFUSED_SHOWN ? `; and ${refused.length - REFUSED_SHOWN} more` : '';
  return `A report file was not read (${shown}${more}): a report must be a regular file the runner wrote.${judged}`;
}

function joinNotes(...notes: Array<string | undefined>): string | undefined {
  const present = notes.filter((note) => note !== undefined);
  return present.length ? present.join(' ') : undefined;
}

function outputTail(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= OUTPUT_TAIL_CHARS) return trimmed;
  const cut = trimmed.slice(-OUTPUT_TAIL_CHARS);
  return `…${cut.slice(cut.indexOf('\n') + 1)}`;
}
