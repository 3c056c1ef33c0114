// `gptoss-agent exec "PROMPT"`: one headless turn for scripts and CI.
// Exit 0 when the model answered, 1 on any failure, 2 on a usage error.
import { jsonLinesWriter, plainWriter } from './exec-output.js';
import { setUpHeadless } from './headless-setup.js';
import { interruptible } from './interrupt.js';
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

export const EXEC_HELP = `Usage: gptoss-agent exec [options] "PROMPT"     (PROMPT "-" or omitted: read stdin)

Runs one agent turn without the interactive UI. The answer goes to stdout,
progress to stderr. Edits that need approval are asked on the terminal, or
refused when there is none: --approval auto-edit applies edits and runs the
tests, full-auto also runs other commands in the sandbox.

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

  const write = values.json
    ? jsonLinesWriter(io)
    : plainWriter(io, { showReasoning: values['show-reasoning'] ?? false });
  const { agent, backend, workspace, session, refusalHint, mcp } = await setUpHeadless(io, values, write, {
    flags,
    resume,
    mcp: true,
  });
  if (!workspace.isGitRepo) {
    io.stderr.write(
      `note: ${workspace.root} is not a git repository; the agent works, but changes are not tracked by git.\n`,
    );
  }

  const stopProgress = values.json ? () => {} : showLoadProgress(backend, io.stderr);
  try {
    // The servers' tools belong in the first request: wait for them to start (or fail).
    await mcp?.settled();
    const result = await interruptible((signal) => agent.runTurn(prompt, signal));
    const hint = refusalHint();
    if (hint) io.stderr.write(`${hint}\n`);
    if (result.stopReason === 'max_steps') {
      io.stderr.write(
        `Stopped after ${result.usage.toolCalls} tool calls without a final answer; raise the limit with --max-steps.\n`,
      );
    }
    // A session the model never answered is not kept: there would be nothing to continue.
    if (!values.json && session.kept)
      io.stderr.write(`session ${session.id} (continue it with --resume ${session.id})\n`);
    if (result.stopReason === 'aborted') return 130;
    return result.stopReason === 'answer' ? 0 : 1;
  } finally {
    stopProgress();
    session.close({ dropIfEmpty: true });
    await Promise.all([backend.dispose(), mcp?.close()]);
  }
}
