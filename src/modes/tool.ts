// `gptoss-agent tool NAME 'JSON-ARGS'`: runs one tool in the current
// directory and prints exactly what the model would read — the same
// validation, approval policy and truncation as in the loop.
import { headlessApprover } from '../agent/approvals.js';
import { createApprovalGate } from '../agent/approval-gate.js';
import { DEFAULT_TOOL_OUTPUT_TOKENS } from '../agent/loop.js';
import { ToolCallRunner } from '../agent/tool-calls.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { ArgumentValidator } from '../../tools/validate-arguments.js';
import { openProject, toolServices } from './agent-setup.js';
import { configFromFlags, parseMode, trustFromFlags, UsageError, type ModeIO } from './options.js';
import { readAll } from './read-stdin.js';
import { canAsk, terminalApprover } from './terminal-approver.js';

export const TOOL_HELP = `Usage: gptoss-agent tool NAME ['JSON-ARGS' | -] [options]

Runs one of the model's tools here and prints what the model would read.
Arguments are a JSON object (from stdin with "-").

Options:
  --json                print the structured result as JSON
  -a, --approval MODE   suggest (default) | auto-edit | full-auto, for tools that change files
  -C, --cd DIR          run in DIR
  --no-sandbox          run commands without the OS sandbox (they always ask first)
  --trust-project       trust this repository's .gptoss-agent/config.json as it is now

Tools: `;

const OPTIONS = {
  json: { type: 'boolean' },
  approval: { type: 'string', short: 'a' },
  cd: { type: 'string', short: 'C' },
  'no-sandbox': { type: 'boolean' },
  'trust-project': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const { values, positionals } = parseMode(argv, OPTIONS);
  const registry = new ToolRegistry(defaultTools());
  if (values.help) {
    io.stdout.write(`${TOOL_HELP}${registry.names().join(', ')}\n`);
    return 0;
  }
  const [name, rawArgs = '{}'] = positionals;
  if (!name) throw new UsageError(`tool needs a tool name: one of ${registry.names().join(', ')}`);
  if (!registry.get(name)) throw new UsageError(`unknown tool "${name}"; the tools are ${registry.names().join(', ')}`);
  const argsText = rawArgs === '-' ? await readAll(io.stdin) : rawArgs;

  const flags = configFromFlags(values);
  const { workspace, loaded, recovered } = await openProject(io.cwd, values.cd, flags, io.env, {
    accept: trustFromFlags(values),
  });
  for (const message of recovered) io.stderr.write(`${message}\n`);
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
  // Arguments from stdin leave no terminal to answer on.
  const interactive = canAsk(io) && rawArgs !== '-';
  const gate = createApprovalGate({
    mode: () => loaded.config.approval ?? 'suggest',
    rules: [],
    approver: interactive ? terminalApprover(io) : headlessApprover,
    emit: () => {},
    ...(values['no-sandbox'] ? { unsandboxedAllowed: true } : {}),
  });
  const runner = new ToolCallRunner(new ArgumentValidator(), DEFAULT_TOOL_OUTPUT_TOKENS);
  const tools = registry.snapshot();
  const prepared = await runner.prepare({ id: 'cli', name, arguments: argsText }, tools, tools);
  const signal = new AbortController().signal;
  const { result, truncated } = await runner.run(prepared, {
    ...toolServices(io.env, loaded.config, !values['no-sandbox'], workspace.root),
    workspace,
    signal,
    ask: (request) => gate('cli', request, signal),
  });
  if (values.json) {
    const { output, data, summary, isError } = result;
    io.stdout.write(`${JSON.stringify({ ok: !isError, output, summary, truncated, data }, null, 2)}\n`);
  } else {
    io.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
  }
  return result.isError ? 1 : 0;
}
