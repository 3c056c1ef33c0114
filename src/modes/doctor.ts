// `gptoss-agent doctor`: can the agent run here, and if not, what to do.
// Checks the compute backend and GPUs, memory and which models fit, the
// model file, the sandbox, ripgrep, git and the endpoint. Exit 0 when the
// agent can run, 1 when something it needs is missing.
import { checkCompute } from '../doctor/compute-check.js';
import type { CheckResult, CheckStatus } from '../doctor/check.js';
import { checkEndpoint } from '../doctor/endpoint-check.js';
import { checkFit } from '../doctor/fit-check.js';
import { checkMcpServers } from '../doctor/mcp-check.js';
import { checkModel, modelNotNeeded } from '../doctor/model-check.js';
import { checkProjectTrust } from '../doctor/project-trust-check.js';
import { checkSandbox } from '../doctor/sandbox-check.js';
import { checkGit, checkRipgrep } from '../doctor/tool-checks.js';
import { KNOWN_MODELS } from '../model/known-models.js';
import { openProject } from './agent-setup.js';
import { configFromFlags, parseMode, type ModeIO } from './options.js';
import { painter, type Paint } from './terminal-style.js';

export const DOCTOR_HELP = `Usage: gptoss-agent doctor [options]

Checks what the agent needs here and says how to fix what is missing:
the compute backend (CUDA, Vulkan, Metal or CPU) and GPU memory, RAM and
which gpt-oss models fit, the model file, the bubblewrap sandbox, ripgrep,
git, the endpoint when one is configured, and whether the project config is trusted. Exit 0 when the agent can run.

Options:
  --endpoint URL        check this OpenAI-compatible server instead of the configured one
  -m, --model MODEL     check this model (a GGUF path, an hf: URI, 20b or 120b)
  --api-key KEY         bearer token for the server
  -C, --cd DIR          check for the project in DIR`;

const OPTIONS = {
  endpoint: { type: 'string' },
  model: { type: 'string', short: 'm' },
  'api-key': { type: 'string' },
  cd: { type: 'string', short: 'C' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const { values } = parseMode(argv, OPTIONS, false);
  if (values.help) {
    io.stdout.write(`${DOCTOR_HELP}\n`);
    return 0;
  }
  const { loaded, recovered, workspace } = await openProject(io.cwd, values.cd, configFromFlags(values), io.env);
  const { config, sources } = loaded;
  for (const message of recovered) io.stderr.write(`${message}\n`);
  const usesEndpoint = config.endpoint !== undefined;

  const [compute, model, sandbox, ripgrep, git, endpoint, mcp] = await Promise.all([
    checkCompute(),
    usesEndpoint
      ? modelNotNeeded()
      : checkModel({ model: config.model, modelSource: sources.model, env: io.env, cwd: io.cwd }),
    checkSandbox(io.env, process.platform, process.arch, workspace.root),
    checkRipgrep(),
    checkGit(workspace.root, io.env),
    checkEndpoint(config.endpoint, config.apiKey),
    checkMcpServers(loaded, workspace.root, io.env),
  ]);
  // llama.cpp failing to start matters only when the model runs in this process.
  const computeResults = compute.results.map((result) =>
    usesEndpoint && result.status === 'fail' ? { ...result, status: 'warn' as const } : result,
  );
  // With a server the fit lines only inform: their advice (get a bigger machine, use a server) is moot.
  const fits = compute.machine
    ? KNOWN_MODELS.map((known) => checkFit(known, compute.machine!)).map((fit) =>
        usesEndpoint ? { ...fit, fix: undefined } : fit,
      )
    : [];
  const results = [
    ...computeResults,
    ...fits,
    model,
    sandbox,
    ripgrep,
    git,
    endpoint,
    checkProjectTrust(loaded.project),
    ...mcp,
  ];

  const paint = painter(io.stdout, io.env);
  io.stdout.write(formatReport(results, paint));
  const canRun = results.every((result) => result.status !== 'fail');
  io.stdout.write(
    canRun
      ? `${paint('green', 'The agent can run here.')}\n`
      : `${paint('red', 'The agent cannot run yet:')} fix the problems marked ✗.\n`,
  );
  return canRun ? 0 : 1;
}

const MARKS: Record<CheckStatus, [string, Parameters<Paint>[0]]> = {
  ok: ['✓', 'green'],
  info: ['·', 'dim'],
  warn: ['!', 'yellow'],
  fail: ['✗', 'red'],
};

export function formatReport(results: readonly CheckResult[], paint: Paint): string {
  const width = Math.max(...results.map((result) => result.label.length)) + 2;
  const indent = ' '.repeat(width + 4);
  return results
    .map((result) => {
      const [mark, colour] = MARKS[result.status];
      const lines = [`  ${paint(colour, mark)} ${result.label.padEnd(width)}${result.detail}`];
      if (result.fix && result.status !== 'ok') {
        lines.push(...result.fix.split('\n').map((line) => `${indent}${paint('dim', line.trim())}`));
      }
      return `${lines.join('\n')}\n`;
    })
    .join('');
}
