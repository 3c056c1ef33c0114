// The agent a review runs, as the review mode builds it, on a scripted model:
// the read-only review tools, review.md, and no approvals ever asked.
import { buildInstructions } from '../../src/agent/instructions.js';
import { Agent } from '../../src/agent/loop.js';
import { reviewTools } from '../../src/review/review-tools.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';

export async function reviewAgent(root: string, steps: ScriptedStep[]) {
  const backend = new ScriptedBackend(steps);
  const workspace = await Workspace.open(root);
  const agent = new Agent({
    backend,
    tools: new ToolRegistry(reviewTools(defaultTools())),
    workspace,
    instructions: await buildInstructions(workspace, 'review.md'),
    approvalMode: 'suggest',
    approver: () => Promise.reject(new Error('a review asked for approval')),
    emit: () => {},
  });
  return { agent, backend, workspace };
}
