// How well the agent fixes failing tests on a given gpt-oss setup: runs the built
// `gptoss-agent fix --json --approval auto-edit` on sample projects (jest, vitest,
// node:test, pytest, cargo, go), once per tool surface, and prints per project and
// in total: solved/total, malformed generations, tool calls, tokens and wall time;
// the last line is one JSON object with every number.
//
//   npm run build
//   npx tsx test/bench/agent-eval.ts --model ~/models/gpt-oss-20b-Q4_K_M.gguf
//   npx tsx test/bench/agent-eval.ts --endpoint http://127.0.0.1:8080/v1 --harmony raw --runs 3
//   npx tsx test/bench/agent-eval.ts            # no weights: a scripted model checks the plumbing
//
// Options: --projects jest,pytest  --surfaces native,functions  --runs N  --reasoning low|medium|high
//          --max-rounds N  --harmony auto|raw|chat  --ctx N  (--model NAME with --endpoint: the server's model)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runCli } from '../fixtures/cli.js';
import { writeSandboxUserConfig } from '../fixtures/projects.js';
import { pickProjects, setUpProject, type EvalProject } from './agent-eval/projects.js';
import { startScriptedModel } from './agent-eval/scripted-model.js';
import {
  addTally,
  runProblem,
  emptyTally,
  formatTable,
  tableRow,
  tallyRun,
  TABLE_HEADER,
  type RunTally,
} from './agent-eval/tally.js';

const SURFACES = ['native', 'functions'];
/** A safety net per fix run; a real model on a CPU may need all of it. */
const RUN_TIMEOUT_MS = 30 * 60_000;
const SCRIPTED_TIMEOUT_MS = 120_000;

export interface BenchOutput {
  write(text: string): void;
}

export async function runAgentEval(argv: string[], out: BenchOutput): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      endpoint: { type: 'string' },
      projects: { type: 'string' },
      surfaces: { type: 'string', default: SURFACES.join(',') },
      runs: { type: 'string', default: '1' },
      reasoning: { type: 'string' },
      'max-rounds': { type: 'string' },
      harmony: { type: 'string' },
      ctx: { type: 'string' },
    },
  });
  const projects = pickProjects(values.projects);
  const surfaces = values.surfaces.split(',').map((s) => s.trim());
  for (const surface of surfaces) {
    if (!SURFACES.includes(surface)) throw new Error(`--surfaces takes native and/or functions (got "${surface}")`);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs must be a positive whole number (got "${values.runs}")`);
  const scripted = values.model === undefined && values.endpoint === undefined;
  const passed = (flag: string, value: string | undefined) => (value === undefined ? [] : [`--${flag}`, value]);
  const shared = [
    ...passed('reasoning', values.reasoning),
    ...passed('max-rounds', values['max-rounds']),
    ...passed('ctx', values.ctx),
  ];

  // The runs happen in temporary repositories: a model file named relative to here must still be found.
  const model =
    values.model && !values.endpoint && existsSync(values.model) ? path.resolve(values.model) : values.model;

  // Its own config and state: the user's own never change a run, and sessions are not kept.
  // A real model keeps the user's cache, where downloaded models are.
  const home = mkdtempSync(path.join(os.tmpdir(), 'gptoss-agent-eval-'));
  writeSandboxUserConfig(path.join(home, 'config'));
  const env = {
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_STATE_HOME: path.join(home, 'state'),
    ...(scripted ? { XDG_CACHE_HOME: path.join(home, 'cache') } : {}),
  };

  const oneRun = async (project: EvalProject, surface: string): Promise<RunTally> => {
    const repo = setUpProject(project);
    const server = scripted ? await startScriptedModel(project, surface) : undefined;
    try {
      const modelFlags = server
        ? ['--endpoint', server.url, '--model', 'gpt-oss-20b', '--harmony', values.harmony ?? 'chat']
        : [...passed('model', model), ...passed('endpoint', values.endpoint), ...passed('harmony', values.harmony)];
      const args = ['fix', '--json', '--approval', 'auto-edit', '--tool-surface', surface, ...modelFlags, ...shared];
      const started = performance.now();
      const run = await runCli(args, {
        cwd: repo.root,
        env,
        timeoutMs: scripted ? SCRIPTED_TIMEOUT_MS : RUN_TIMEOUT_MS,
      });
      const tally = tallyRun(run.stdout, Math.round(performance.now() - started));
      const problem = runProblem(run.stdout, run.stderr, run.code);
      if (problem) out.write(`${surface} ${project.name}: not solved: ${problem}\n`);
      return tally;
    } finally {
      await server?.close();
      repo.remove();
    }
  };

  const results: Record<string, { total: RunTally; projects: Record<string, RunTally> }> = {};
  const rows = [TABLE_HEADER];
  let total = emptyTally();
  try {
    for (const surface of surfaces) {
      const perSurface = { total: emptyTally(), projects: {} as Record<string, RunTally> };
      for (const project of projects) {
        let sum = emptyTally();
        for (let i = 1; i <= runs; i++) {
          const run = await oneRun(project, surface);
          // A line per run as it ends: with a real model the whole bench takes a while.
          out.write(`${surface} ${project.name} run ${i}/${runs}: ${run.solved ? 'solved' : 'not solved'}\n`);
          sum = addTally(sum, run);
        }
        perSurface.projects[project.name] = sum;
        perSurface.total = addTally(perSurface.total, sum);
        rows.push(tableRow(surface, project.name, sum));
      }
      rows.push(tableRow(surface, 'total', perSurface.total));
      results[surface] = perSurface;
      total = addTally(total, perSurface.total);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  rows.push(tableRow('all', 'total', total));

  const summary = {
    model: scripted ? 'scripted' : (values.model ?? null),
    endpoint: values.endpoint ?? null,
    harmony: values.harmony ?? null,
    reasoning: values.reasoning ?? null,
    maxRounds: values['max-rounds'] ? Number(values['max-rounds']) : null,
    ctx: values.ctx ? Number(values.ctx) : null,
    runs,
    surfaces: results,
    total,
  };
  out.write(`${formatTable(rows)}\n${JSON.stringify(summary)}\n`);
  return summary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAgentEval(process.argv.slice(2), process.stdout).catch((error: unknown) => {
    process.stderr.write(`agent-eval: ${(error as Error).message}\n`);
    process.exitCode = 2;
  });
}
