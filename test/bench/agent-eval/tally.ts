// What one `fix --json` run did, read from its event lines, and the sums over runs.

export interface RunTally {
  runs: number;
  solved: number;
  /** Generations the loop could not use and sampled again. */
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

/** The numbers of one run from its stdout (one JSON event a line); lines that are not JSON are skipped. */
export function tallyRun(stdout: string, wallMs: number): RunTally {
  const tally = { ...emptyTally(), runs: 1, wallMs };
  for (const line of stdout.split('\n')) {
    let event: {
      type?: string;
      message?: string;
      usage?: { toolCalls?: number };
      summary?: { outcome?: string; tokens?: Record<string, number> };
    };
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    // The model's calls only: the fix flow's own test runs are tool calls too, but not the model's.
    if (event.type === 'turn.completed') tally.toolCalls += event.usage?.toolCalls ?? 0;
    if (event.type === 'model.notice' && /could not be used.*sampling it again/.test(event.message ?? '')) {
      tally.malformed++;
    }
    if (event.type === 'fix.completed') {
      if (event.summary?.outcome === 'passed') tally.solved = 1;
      tally.promptTokens = event.summary?.tokens?.prompt ?? 0;
      tally.outputTokens = event.summary?.tokens?.output ?? 0;
    }
  }
  return tally;
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
