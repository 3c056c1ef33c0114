// "Always" answers: kept for the session, and saved for the project when
// the user asks, without losing the session rule if saving fails.
import { describe, expect, it } from 'vitest';
import { createApprovalGate } from '../../src/agent/approval-gate.js';
import type { ApprovalRule, Approver } from '../../src/agent/approvals.js';
import type { AgentEvent } from '../../src/agent/events.js';
import type { ApprovalRequest } from '../../tools/tool.js';

const run = (command: string): ApprovalRequest => ({
  tool: 'shell',
  kind: 'exec',
  title: `Run ${command}`,
  command,
  sandboxed: true,
});

function setUp(saveRule?: (rule: ApprovalRule) => Promise<void>) {
  const asked: string[] = [];
  const events: AgentEvent[] = [];
  const rules: ApprovalRule[] = [];
  const approver: Approver = async (request) => {
    asked.push(request.command ?? '');
    return { approved: true, always: { kind: 'exec', prefix: 'npm test' }, saveForProject: true };
  };
  const gate = createApprovalGate({
    mode: () => 'suggest',
    rules,
    approver,
    emit: (event) => events.push(event),
    ...(saveRule ? { saveRule } : {}),
  });
  const signal = new AbortController().signal;
  return { gate: (command: string) => gate('1', run(command), signal), asked, events, rules };
}

describe('the approval gate', () => {
  it('saves an "always, for this project" rule and stops asking for matching commands', async () => {
    const saved: ApprovalRule[] = [];
    const { gate, asked } = setUp(async (rule) => void saved.push(rule));
    expect(await gate('npm test')).toEqual({ approved: true });
    // The rule answers the second time: nobody was asked.
    expect(await gate('npm test -- src/a.test.ts')).toEqual({ approved: true, unasked: true });
    expect(asked).toEqual(['npm test']);
    expect(saved).toEqual([{ kind: 'exec', prefix: 'npm test' }]);
  });

  it('keeps the rule for the session when saving fails, and says why', async () => {
    const { gate, asked, events } = setUp(async () => {
      throw new Error('.gptoss-agent/config.json is not valid JSON');
    });
    expect(await gate('npm test')).toEqual({ approved: true });
    expect(await gate('npm test')).toEqual({ approved: true, unasked: true });
    expect(asked).toHaveLength(1);
    expect(events).toContainEqual({
      type: 'model.notice',
      message:
        'The rule "npm test" holds for this session but was not saved: .gptoss-agent/config.json is not valid JSON',
    });
  });

  it('lets read-only commands through without asking', async () => {
    const { gate, asked, events } = setUp();
    expect(await gate('git status')).toEqual({ approved: true, unasked: true });
    expect(asked).toEqual([]);
    expect(events).toEqual([{ type: 'approval.decided', id: '1', approved: true, by: 'policy' }]);
  });
});
