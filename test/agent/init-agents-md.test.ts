import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initAgentsMd, readOnlyTools } from '../../src/agent/init-agents-md.js';
import { Agent } from '../../src/agent/loop.js';
import type { AppliedChangeSet } from '../../tools/changes/file-changes.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import type { ApprovalOutcome, ApprovalRequest } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

const PROPOSAL = '# AGENTS.md\n\n- Test: `npm test`\n- Source in `src/`, tests in `test/`.';

async function setUp(
  steps: ScriptedStep[],
  files: Record<string, string> = {},
  answer: ApprovalOutcome = { approved: true },
) {
  const repo = makeTempRepo({ 'package.json': '{"scripts":{"test":"vitest"}}\n', ...files });
  repos.push(repo);
  const workspace = await Workspace.open(repo.root);
  const backend = new ScriptedBackend(steps);
  const agent = new Agent({
    backend,
    tools: new ToolRegistry(readOnlyTools(defaultTools())),
    workspace,
    instructions: 'You are a test.',
    approvalMode: 'suggest',
    approver: async () => ({ approved: false }),
    emit: () => {},
  });
  const requests: ApprovalRequest[] = [];
  const applied: AppliedChangeSet[] = [];
  const result = await initAgentsMd({
    agent,
    workspace,
    ask: async (request) => {
      requests.push(request);
      return answer;
    },
    onChangesApplied: (set) => applied.push(set),
  });
  const file = path.join(repo.root, 'AGENTS.md');
  return {
    result,
    backend,
    requests,
    applied,
    read: () => (existsSync(file) ? readFileSync(file, 'utf8') : undefined),
  };
}

describe('init: proposing an AGENTS.md', () => {
  it('explores with read-only tools, shows the file as a diff, and writes it once approved', async () => {
    const steps: ScriptedStep[] = [
      { toolCalls: [{ name: 'read_file', arguments: { path: 'package.json' } }] },
      { answer: `\`\`\`markdown\n${PROPOSAL}\n\`\`\`` },
    ];
    const { result, backend, requests, applied, read } = await setUp(steps);
    expect(result.status).toBe('written');
    // The fence around the whole answer is not part of the file.
    expect(read()).toBe(`${PROPOSAL}\n`);
    expect(requests[0]).toMatchObject({ tool: 'init', kind: 'edit', title: 'Add AGENTS.md' });
    expect(requests[0]!.diff).toContain('+- Test: `npm test`');
    expect(applied).toHaveLength(1);
    expect(backend.requests[0]!.tools.map((t) => t.name)).toEqual(['read_file', 'list_files', 'grep', 'symbols']);
    expect(backend.requests[0]!.messages[0]!.content).toMatch(/^Write an AGENTS\.md for this repository/);
  });

  it('writes nothing when the change is not approved', async () => {
    const { result, read } = await setUp([{ answer: PROPOSAL }], {}, { approved: false, by: 'headless' });
    expect(result).toMatchObject({ status: 'not_approved', outcome: { by: 'headless' } });
    expect(result.status !== 'failed' && result.diff).toContain('+++ b/AGENTS.md');
    expect(read()).toBeUndefined();
  });

  it('improves an existing AGENTS.md and shows only what changes', async () => {
    const { result, backend, read } = await setUp([{ answer: `${PROPOSAL}\n- Format: \`npm run format\`` }], {
      'AGENTS.md': `${PROPOSAL}\n`,
    });
    expect(result.status).toBe('written');
    expect(result.status !== 'failed' && result.diff).toMatch(/^\+- Format: `npm run format`$/m);
    expect(result.status !== 'failed' && result.diff).not.toMatch(/^-(?!--)/m);
    expect(read()).toBe(`${PROPOSAL}\n- Format: \`npm run format\`\n`);
    expect(backend.requests[0]!.messages[0]!.content).toContain('An AGENTS.md exists already');
  });

  it('fails with a reason when the model gives no file', async () => {
    const { result, read } = await setUp([{ error: 'model crashed' }]);
    expect(result).toMatchObject({ status: 'failed', message: 'No AGENTS.md was proposed: the turn ended (error).' });
    expect(read()).toBeUndefined();
  });
});
