// `gptoss-agent fix`: run the tests, let the agent fix what fails, re-run,
// until everything passes or the rounds run out; then a summary. Exit 0 only
// when every test passes, 1 otherwise, 2 on a usage error, 130 when interrupted.
import { DEFAULT_FIX_ROUNDS, fixParts, runFix } from '../agent/fix.js';
import { buildInstructions } from '../agent/instructions.js';
import type { Tone } from '../ui/session.js';
import { toolNames, toolRegistry, type AgentSetup } from './agent-setup.js';
import { jsonLinesWriter } from './exec-output.js';
import { fixPlainWriter, fixSummaryTone, formatFixSummary, formatTestRun } from './fix-output.js';
import { setUpHeadless } from './headless-setup.js';
import { interruptible } from './interrupt.js';
import { canAsk } from './terminal-approver.js';
import { AGENT_OPTIONS, AGENT_OPTIONS_HELP, configFromFlags, parseMode, UsageError, type ModeIO } from './options.js';

export const FIX_HELP = `Usage: gptoss-agent fix [options]

Runs the project's tests and lets the agent fix the code until they pass or
the rounds run out; then prints what was fixed, what still fails, the files
changed, the time and the tokens. It never edits a test to make it pass.
Exit 0 only when every test passes.

Fix:
  --test-cmd CMD        the command that runs the tests (default: found from
                        the config, AGENTS.md, package.json, pytest, cargo, go, …)
  --max-rounds N        agent turns before giving up (default ${DEFAULT_FIX_ROUNDS})
Output:
  --json                one JSON event per line on stdout; the last is fix.completed
  --show-reasoning      print the model's reasoning to stderr
${AGENT_OPTIONS_HELP}

Without a terminal nothing can be asked: fix then needs --approval auto-edit
(or full-auto) so that patches are applied, and stops at once without it.
The tests themselves always run inside the sandbox without asking.`;

const OPTIONS = {
  ...AGENT_OPTIONS,
  'test-cmd': { type: 'string' },
  'max-rounds': { type: 'string' },
  json: { type: 'boolean' },
  'show-reasoning': { type: 'boolean' },
} as const;

/**
 * `/fix [CMD]` in the UI: the fix flow on an agent of its own beside the session's (the
 * same backend, approvals, undo and log, its own prompt and tools), its test runs and
 * summary printed as they come. The conversation is told what it changed.
 */
export async function fixInSession(
  setup: AgentSetup,
  options: { testCommand?: string | undefined; signal: AbortSignal; print(text: string, tone?: Tone): void },
): Promise<void> {
  const fix = fixParts();
  let changeSets = 0;
  const fixer = setup.agent.derive({
    tools: toolRegistry(setup.loaded.config, fix.tools),
    instructions: await buildInstructions(setup.workspace, fix.basePrompt, toolNames(setup.loaded.config)),
    onChangesApplied: (set) => {
      fix.onChangesApplied(set);
      changeSets++;
    },
    ...(options.testCommand ? { toolServices: { testCommand: options.testCommand } } : {}),
  });
  const summary = await runFix({
    agent: fixer,
    focus: fix.focus,
    changes: fix.changes,
    root: setup.workspace.root,
    signal: options.signal,
    emit: (event) => {
      if (event.type === 'fix.tests') options.print(formatTestRun(event.round, event.report));
    },
  });
  const undo =
    changeSets === 0 ? '' : `\n/undo ${changeSets === 1 ? '' : `${changeSets} `}takes the fix's changes back.`;
  options.print(`${formatFixSummary(summary)}${undo}`, fixSummaryTone(summary));
  if (summary.files.length > 0) {
    setup.agent.addNote(
      `[The user ran /fix: a separate run of the agent worked on the failing tests.\n${formatFixSummary(summary)}]`,
    );
  }
}

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const { values, positionals } = parseMode(argv, OPTIONS);
  if (values.help) {
    io.stdout.write(`${FIX_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`fix takes no prompt (got "${positionals.join(' ')}")`);
  const maxRounds = values['max-rounds'] === undefined ? DEFAULT_FIX_ROUNDS : Number(values['max-rounds']);
  if (!Number.isInteger(maxRounds) || maxRounds < 1) {
    throw new UsageError(`--max-rounds must be a positive whole number (got "${values['max-rounds']}")`);
  }
  const testCommand = values['test-cmd']?.trim();
  if (values['test-cmd'] !== undefined && !testCommand) throw new UsageError('--test-cmd needs a command');
  const flags = { ...configFromFlags(values), ...(testCommand ? { testCommand } : {}) };

  const write = values.json
    ? jsonLinesWriter(io)
    : fixPlainWriter(io, { showReasoning: values['show-reasoning'] ?? false });
  const fix = fixParts();
  const { agent, backend, workspace, session, services, refusalHint } = await setUpHeadless(io, values, write, {
    flags,
    tools: fix.tools,
    basePrompt: fix.basePrompt,
    onChangesApplied: fix.onChangesApplied,
    checkConfig: (config) => {
      // No one to approve a patch: every round would be spent for nothing, so say so before the model loads.
      if (!canAsk(io) && (config.approval ?? 'suggest') === 'suggest') {
        throw new UsageError(
          'without a terminal no patch can be approved, so nothing could be fixed: ' +
            're-run with --approval auto-edit (patches are applied, the tests run in the sandbox), ' +
            'or run it on a terminal to approve each patch',
        );
      }
    },
  });
  const sandbox = await services.sandbox?.state();
  if (sandbox && !sandbox.sandboxed) {
    // Then every command, the tests included, asks first (unless --no-sandbox made it the user's choice).
    io.stderr.write(
      `warning: commands run WITHOUT the sandbox: ${sandbox.reason}${sandbox.fix ? `\n${sandbox.fix}` : ''}\n`,
    );
  }

  try {
    const summary = await interruptible((signal) =>
      runFix({ agent, focus: fix.focus, changes: fix.changes, root: workspace.root, maxRounds, emit: write, signal }),
    );
    const hint = refusalHint();
    if (hint) io.stderr.write(`${hint}\n`);
    const patches = session.undoable().length;
    if (!values.json && patches > 0) {
      io.stderr.write(`session ${session.id}; take its ${patches} patch(es) back with: gptoss-agent undo ${patches}\n`);
    }
    if (summary.outcome === 'interrupted') return 130;
    return summary.outcome === 'passed' ? 0 : 1;
  } finally {
    session.close({ dropIfEmpty: true });
    await backend.dispose();
  }
}
