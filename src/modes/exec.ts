// `gptoss-agent exec "PROMPT"`: one headless turn for scripts and CI.
// Exit 0 when the model answered, 1 on any failure, 2 on a usage error.
import { headlessApprover } from '../agent/approvals.js';
import type { AgentEvent } from '../agent/events.js';
import { setUpAgent } from './agent-setup.js';
import { jsonLinesWriter, plainWriter } from './exec-output.js';
import { showLoadProgress } from './load-progress.js';
import {
  AGENT_OPTIONS,
  AGENT_OPTIONS_HELP,
  configFromFlags,
  parseMode,
  SESSION_OPTIONS,
  SESSION_OPTIONS_HELP,
  sessionChoice,
  UsageError,
  type ModeIO,
} from './options.js';
import { readAll } from './read-stdin.js';
import { terminalApprover } from './terminal-approver.js';

export const EXEC_HELP = `Usage: gptoss-agent exec [options] "PROMPT"     (PROMPT "-" or omitted: read stdin)

Runs one agent turn without the interactive UI. The answer goes to stdout,
progress to stderr. Edits that need approval are asked on the terminal, or
refused when there is none (use --approval auto-edit to apply them).

Output:
  --json                one JSON event per line on stdout (see README)
  --show-reasoning      print the model's reasoning to stderr
${SESSION_OPTIONS_HELP}
${AGENT_OPTIONS_HELP}`;

const OPTIONS = {
  ...AGENT_OPTIONS,
  ...SESSION_OPTIONS,
  json: { type: 'boolean' },
  'show-reasoning': { type: 'boolean' },
} as const;

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const { values, positionals } = parseMode(argv, OPTIONS);
  if (values.help) {
    io.stdout.write(`${EXEC_HELP}\n`);
    return 0;
  }
  const flags = configFromFlags(values);
  const resume = sessionChoice(values);
  let prompt = positionals.join(' ').trim();
  if (prompt === '-' || (prompt === '' && !io.stdin.isTTY)) prompt = (await readAll(io.stdin)).trim();
  if (prompt === '') throw new UsageError('exec needs a prompt: gptoss-agent exec "what to do"');

  const interactive = io.stdin.isTTY === true && io.stderr.isTTY === true;
  const write = values.json
    ? jsonLinesWriter(io)
    : plainWriter(io, { showReasoning: values['show-reasoning'] ?? false });
  let headlessDenials = 0;
  const emit = (event: AgentEvent) => {
    if (event.type === 'approval.decided' && event.by === 'headless') headlessDenials++;
    write(event);
  };
  const { agent, backend, workspace, loaded, session } = await setUpAgent({
    cwd: io.cwd,
    dir: values.cd,
    flags,
    env: io.env,
    emit,
    approver: interactive ? terminalApprover(io) : headlessApprover,
    unsandboxedAllowed: values['no-sandbox'] ?? false,
    resume,
  });
  for (const warning of loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
  for (const note of session.notes) io.stderr.write(`note: ${note}\n`);
  if (!workspace.isGitRepo) {
    io.stderr.write(
      `note: ${workspace.root} is not a git repository; the agent works, but changes are not tracked by git.\n`,
    );
  }

  const stopProgress = values.json ? () => {} : showLoadProgress(backend, io.stderr);
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    const result = await agent.runTurn(prompt, controller.signal);
    if (headlessDenials > 0) {
      io.stderr.write(
        `${headlessDenials} change(s) were not applied because this run cannot ask for approval. ` +
          'Re-run with --approval auto-edit to apply edits (full-auto also runs commands in the sandbox).\n',
      );
    }
    if (result.stopReason === 'max_steps') {
      io.stderr.write(
        `Stopped after ${result.usage.toolCalls} tool calls without a final answer; raise the limit with --max-steps.\n`,
      );
    }
    if (!values.json) io.stderr.write(`session ${session.id} (continue it with --resume ${session.id})\n`);
    if (result.stopReason === 'aborted') return 130;
    return result.stopReason === 'answer' ? 0 : 1;
  } finally {
    stopProgress();
    process.off('SIGINT', onInterrupt);
    session.close();
    await backend.dispose();
  }
}
