// What exec and fix share: the agent set up for a run without the UI, its
// approvals asked on the terminal when there is one and refused when there is
// none, the set-up's warnings and notes on stderr, and a count of what was
// refused for want of someone to ask (to say how to allow it next time).
import type { ApprovalRequest } from '../../tools/tool.js';
import type { AgentEvent } from '../agent/events.js';
import { setUpAgent, type AgentSetup, type AgentSetupOptions } from './agent-setup.js';
import { headlessRefusalHint } from './headless-refusals.js';
import { trustFromFlags, type ModeIO } from './options.js';
import { approverFor } from './terminal-approver.js';

export async function setUpHeadless(
  io: ModeIO,
  values: { cd?: string | undefined; 'no-sandbox'?: boolean | undefined; 'trust-project'?: boolean | undefined },
  write: (event: AgentEvent) => void,
  options: Pick<
    AgentSetupOptions,
    'flags' | 'resume' | 'tools' | 'basePrompt' | 'onChangesApplied' | 'checkConfig' | 'mcp'
  >,
): Promise<AgentSetup & { refusedHeadless(): number; refusalHint(): string | undefined }> {
  const asked = new Map<string, ApprovalRequest>();
  const refused: ApprovalRequest[] = [];
  const setup = await setUpAgent({
    cwd: io.cwd,
    dir: values.cd,
    env: io.env,
    emit: (event) => {
      if (event.type === 'approval.requested') asked.set(event.id, event.request);
      if (event.type === 'approval.decided') {
        const request = asked.get(event.id);
        asked.delete(event.id);
        if (event.by === 'headless' && request) refused.push(request);
      }
      write(event);
    },
    approver: approverFor(io),
    unsandboxedAllowed: values['no-sandbox'] ?? false,
    accept: trustFromFlags(values),
    ...options,
  });
  for (const warning of setup.loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
  for (const note of setup.session.notes) io.stderr.write(`note: ${note}\n`);
  return {
    ...setup,
    refusedHeadless: () => refused.length,
    refusalHint: () => headlessRefusalHint(refused, setup.agent.approvalMode),
  };
}
