// `gptoss-agent init`, and `initInSession` for the UI's `/init`: a read-only
// agent explores the repository and proposes an AGENTS.md; the diff goes
// through the session's approval gate (mode, rules, then the user), and the
// write is recorded in the session, so undo takes it back.
import { createApprovalGate } from '../agent/approval-gate.js';
import type { Approver } from '../agent/approvals.js';
import { allListeners, tellListener, type ChangeListener } from '../agent/change-listeners.js';
import { initAgentsMd, readOnlyTools, type InitResult } from '../agent/init-agents-md.js';
import { defaultTools } from '../../tools/default-tools.js';
import { setUpAgent, toolRegistry, type AgentSetup } from './agent-setup.js';
import { plainWriter } from './exec-output.js';
import {
  AGENT_OPTIONS,
  AGENT_OPTIONS_HELP,
  configFromFlags,
  parseMode,
  trustFromFlags,
  type ModeIO,
} from './options.js';
import { approverFor, canAsk } from './terminal-approver.js';
import { paintDiff, painter } from './terminal-style.js';

export const INIT_HELP = `Usage: gptoss-agent init [options]

Has the model read this repository (it cannot change anything while it does)
and propose an AGENTS.md: the test command, the layout, the conventions. The
proposal is shown as a diff and written only when you approve it on a
terminal, or with --approval auto-edit. "gptoss-agent undo" takes it back.

  --show-reasoning      print the model's reasoning to stderr
${AGENT_OPTIONS_HELP}`;

const OPTIONS = { ...AGENT_OPTIONS, 'show-reasoning': { type: 'boolean' } } as const;

/** `/init` in a running session; its events go to the session like a turn's. */
export function initInSession(
  setup: AgentSetup,
  options: {
    approver: Approver;
    /** Not read any more (the explorer has the session's services); interactive.tsx still passes it. */
    env?: NodeJS.ProcessEnv;
    signal: AbortSignal;
    /** Told about the write besides the session's checkpoint (the UI's session diff). */
    onChangesApplied?: ChangeListener;
  },
): Promise<InitResult> {
  const { agent, session, workspace } = setup;
  const hooks = session.hooks();
  // The session's effort, limits, context and services; read-only tools, so exploring changes nothing.
  const explorer = agent.derive({
    tools: toolRegistry(setup.loaded.config, readOnlyTools(defaultTools())),
    instructions: setup.instructions,
  });
  const gate = createApprovalGate({
    mode: () => agent.approvalMode,
    rules: agent.rules,
    approver: options.approver,
    emit: hooks.emit,
  });
  return initAgentsMd({
    agent: explorer,
    workspace,
    ask: (request) => gate('init', request, options.signal),
    onChangesApplied: (changes) =>
      tellListener(allListeners(hooks.onChangesApplied, options.onChangesApplied), changes, hooks.emit),
    signal: options.signal,
  });
}

export async function run(argv: string[], io: ModeIO): Promise<number> {
  const { values } = parseMode(argv, OPTIONS, false);
  if (values.help) {
    io.stdout.write(`${INIT_HELP}\n`);
    return 0;
  }
  const interactive = canAsk(io);
  const approver = approverFor(io);
  // Progress on stderr; the answer is the file, shown below as a diff instead.
  const write = plainWriter({ ...io, stdout: io.stderr }, { showReasoning: values['show-reasoning'] ?? false });
  const setup = await setUpAgent({
    cwd: io.cwd,
    dir: values.cd,
    flags: configFromFlags(values),
    env: io.env,
    accept: trustFromFlags(values),
    emit: (event) => event.type !== 'answer.delta' && write(event),
    approver,
  });
  for (const warning of setup.loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.on('SIGINT', onInterrupt);
  try {
    const result = await initInSession(setup, { approver, signal: controller.signal });
    const paint = painter(io.stdout, io.env);
    switch (result.status) {
      case 'failed':
        io.stderr.write(`${result.message}\n`);
        return result.turn.stopReason === 'aborted' ? 130 : 1;
      case 'unchanged':
        io.stderr.write('AGENTS.md already says what the model proposes; nothing to change.\n');
        return 0;
      case 'written':
        // A terminal approver has shown the diff already.
        if (!interactive || setup.agent.approvalMode !== 'suggest') {
          io.stdout.write(`${paintDiff(result.diff.trimEnd(), paint)}\n`);
        }
        io.stderr.write('Wrote AGENTS.md (undo with "gptoss-agent undo").\n');
        return 0;
      case 'not_approved':
        if (result.outcome?.by === 'headless') {
          io.stdout.write(`${paintDiff(result.diff.trimEnd(), paint)}\n`);
          io.stderr.write(
            'AGENTS.md was not written: this run cannot ask for approval. ' +
              'Run it on a terminal to be asked, or with --approval auto-edit to write it.\n',
          );
        } else {
          io.stderr.write('AGENTS.md was not written.\n');
        }
        return 0;
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    setup.session.close({ dropIfEmpty: true });
    await setup.backend.dispose();
  }
}
