// The fix flow as the terminal UI drives it: events out, an approver in. A
// scripted model on the real vitest sample project, tests in the sandbox.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../src/agent/events.js';
import { ChangeTally } from '../../src/agent/change-tally.js';
import type { FixEvent } from '../../src/agent/events.js';
import { runFix } from '../../src/agent/fix.js';
import { FixFocus, fixTools } from '../../src/agent/fix-tools.js';
import { Agent } from '../../src/agent/loop.js';
import { ToolRegistry } from '../../tools/registry.js';
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { copyProject, projectSandboxReadOnly } from '../fixtures/projects.js';
import { ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
import type { TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

const patch = (file: string, from: string, to: string): ScriptedStep => ({
  toolCalls: [
    {
      name: 'apply_patch',
      arguments: { input: `*** Begin Patch\n*** Update File: ${file}\n@@\n-${from}\n+${to}\n*** End Patch` },
    },
  ],
});

async function setUp(steps: ScriptedStep[], answer: (request: ApprovalRequest) => boolean = () => true) {
  const repo = copyProject('vitest');
  repos.push(repo);
  rmSync(path.join(repo.root, 'src', 'broken.test.js'));
  const events: FixEvent[] = [];
  const asked: ApprovalRequest[] = [];
  const focus = new FixFocus();
  const changes = new ChangeTally();
  const agent = new Agent({
    backend: new ScriptedBackend(steps),
    tools: new ToolRegistry(fixTools(focus)),
    workspace: await Workspace.open(repo.root),
    instructions: 'Fix the tests.',
    approvalMode: 'suggest',
    approver: async (request) => {
      asked.push(request);
      return { approved: answer(request) };
    },
    emit: (event) => events.push(event),
    toolServices: { sandbox: new Sandbox({ enabled: true, env: process.env, readOnlyPaths: projectSandboxReadOnly }) },
    onChangesApplied: changes.record,
  });
  const fix = (maxRounds = 2) =>
    runFix({ agent, focus, changes, root: repo.root, maxRounds, emit: (event) => events.push(event) });
  return { repo, events, asked, fix, agent };
}

describe('the fix flow', () => {
  it('asks the approver for the patch only, re-runs the failing tests after it, and ends green', async () => {
    const { repo, events, asked, fix, agent } = await setUp([
      patch('src/math.js', '  return a - b;', '  return a + b;'),
      { answer: 'Fixed add().' },
    ]);
    const summary = await fix();
    expect(asked.map((request) => request.tool)).toEqual(['apply_patch']);
    // The tests ran without asking for the fix only.
    expect(agent.rules).toEqual([]);
    expect(asked[0]!.diff).toContain('-  return a - b;\n+  return a + b;');
    expect(readFileSync(path.join(repo.root, 'src/math.js'), 'utf8')).toContain('a + b');

    const patched = events.find((e) => e.type === 'tool.result' && e.name === 'apply_patch');
    expect(patched).toMatchObject({
      ok: true,
      output: expect.stringMatching(/Re-ran the failing tests \(src\/math\.test\.js\):\nAll tests passed/),
    });
    expect(events.filter((e) => e.type === 'fix.tests').map((e) => e.type === 'fix.tests' && e.report.outcome)).toEqual(
      ['failed', 'passed'],
    );
    expect(events.at(-1)).toEqual({ type: 'fix.completed', summary });
    expect(summary).toMatchObject({
      outcome: 'passed',
      rounds: 1,
      fixed: ['src/math.test.js › math › adds two numbers', 'src/math.test.js › math › objects › sums fields'],
      stillFailing: [],
      files: [{ path: 'src/math.js', added: 1, removed: 1 }],
    });
  });

  it("counts the model's calls and unusable generations over every round, not the flow's own test runs", async () => {
    const { fix } = await setUp([
      { toolCalls: [{ name: 'read_file', arguments: '{"path": "src/ma' }] },
      { toolCalls: [{ name: 'read_file', arguments: { path: 'src/math.js' } }] },
      { answer: 'Still looking.' },
      patch('src/math.js', '  return a - b;', '  return a + b;'),
      { answer: 'Fixed add().' },
    ]);
    const summary = await fix();
    expect(summary).toMatchObject({ outcome: 'passed', rounds: 2, toolCalls: 2, malformedGenerations: 1 });
  });

  it('counts a change the model took back as no change, and a rejected patch as none', async () => {
    const { events, fix } = await setUp(
      [
        patch('src/math.js', '  return a - b;', '  return b - a;'),
        patch('src/math.js', '  return b - a;', '  return a - b;'),
        patch('src/math.test.js', '    expect(add(2, 3)).toBe(5);', '    expect(add(2, 3)).toBe(-1);'),
        { answer: 'I could not fix it.' },
      ],
      (request) => !request.warning,
    );
    const summary = await fix(1);
    const rejected = events.find((e) => e.type === 'approval.requested' && e.request.warning);
    expect(rejected).toMatchObject({ request: { warning: 'touches test files: src/math.test.js' } });
    expect(summary).toMatchObject({ outcome: 'failing', files: [], fixed: [], rounds: 1 });
    expect(summary.stillFailing).toHaveLength(2);
  });
});
