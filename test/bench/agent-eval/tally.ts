// What one `fix --json` run did, read from its event lines, and the sums over runs.
import type { FixSummary } from '../../../src/agent/events.js';

export interface RunTally {
  runs: number;
  solved: number;
  /** Generations that came out unusable (the loop samples them again or tells the model). */
  malformed: number;
  toolCalls: number;
  promptTokens: number;
  outputTokens: number;
  wallMs: number;
}

export const emptyTally = (): RunTally => ({
  runs: 0,
  solved: 0,
  malformed: 0,
  toolCalls: 0,
  promptTokens: 0,
  outputTokens: 0,
  wallMs: 0,
});

/** The numbers of one run from its stdout (one JSON event a line): fix.completed's summary has them all. */
export function tallyRun(stdout: string, wallMs: number): RunTally {
  const tally = { ...emptyTally(), runs: 1, wallMs };
  for (const line of stdout.split('\n')) {
    if (!line.includes('"fix.completed"')) continue;
    const { summary } = JSON.parse(line) as { summary: FixSummary };
    tally.solved = summary.outcome === 'passed' ? 1 : 0;
    tally.malformed = summary.malformedGenerations;
    tally.toolCalls = summary.toolCalls;
    tally.promptTokens = summary.tokens.prompt;
    tally.outputTokens = summary.tokens.output;
  }
  return tally;
}

/** Why a run did not solve its project, from its summary (or its stderr when there is none); undefined when it did. */
export function runProblem(stdout: string, stderr: string, code: number | null): string | undefined {
  const line = stdout.split('\n').find((l) => l.includes('"fix.completed"'));
  if (!line) return `fix ended without a summary (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`;
  const { summary } = JSON.parse(line) as { summary: FixSummary };
  if (summary.outcome === 'passed') return undefined;
  return `${summary.outcome}: ${summary.message ?? 'no message'}`;
}

export function addTally(sum: RunTally, run: RunTally): RunTally {
  return {
    runs: sum.runs + run.runs,
    solved: sum.solved + run.solved,
    malformed: sum.malformed + run.malformed,
    toolCalls: sum.toolCalls + run.toolCalls,
    promptTokens: sum.promptTokens + run.promptTokens,
    outputTokens: sum.outputTokens + run.outputTokens,
    wallMs: sum.wallMs + run.wallMs,
  };
}

export const TABLE_HEADER = [
  'surface',
  'project',
  'solved',
  'malformed',
  'tool calls',
  'prompt tok',
  'output tok',
  'wall s',
];

export function tableRow(surface: string, project: string, tally: RunTally): string[] {
  return [
    surface,
    project,
    `${tally.solved}/${tally.runs}`,
    String(tally.malformed),
    String(tally.toolCalls),
    String(tally.promptTokens),
    String(tally.outputTokens),
    (tally.wallMs / 1000).toFixed(1),
  ];
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
