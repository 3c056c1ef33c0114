// What exec and fix share: the agent set up for a run without the UI, its
// approvals asked on the terminal when there is one and refused when there is
// none, the set-up's warnings and notes on stderr, and a count of what was
// refused for want of someone to ask (to say how to allow it next time).
import type { AgentEvent } from '../agent/events.js';
import { setUpAgent, type AgentSetup, type AgentSetupOptions } from './agent-setup.js';
import { trustFromFlags, type ModeIO } from './options.js';
import { approverFor } from './terminal-approver.js';

export async function setUpHeadless(
  io: ModeIO,
  values: { cd?: string | undefined; 'no-sandbox'?: boolean | undefined; 'trust-project'?: boolean | undefined },
  write: (event: AgentEvent) => void,
  options: Pick<AgentSetupOptions, 'flags' | 'resume' | 'tools' | 'basePrompt' | 'onChangesApplied' | 'mcp'>,
): Promise<AgentSetup & { refusedHeadless(): number }> {
  let refused = 0;
  const setup = await setUpAgent({
    cwd: io.cwd,
    dir: values.cd,
    env: io.env,
    emit: (event) => {
      if (event.type === 'approval.decided' && event.by === 'headless') refused++;
      write(event);
    },
    approver: approverFor(io),
    unsandboxedAllowed: values['no-sandbox'] ?? false,
    accept: trustFromFlags(values),
    ...options,
  });
  for (const warning of setup.loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
  for (const note of setup.session.notes) io.stderr.write(`note: ${note}\n`);
  return { ...setup, refusedHeadless: () => refused };
}
