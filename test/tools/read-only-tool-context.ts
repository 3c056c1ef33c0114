// A ToolContext for the read-only tools: a real workspace, a signal the test
// controls, and an approver that fails the test if a read tool ever asks.
import type { ToolContext } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';

export async function readOnlyContext(root: string, signal = new AbortController().signal): Promise<ToolContext> {
  return {
    workspace: await Workspace.open(root),
    signal,
    ask: () => Promise.reject(new Error('a read-only tool asked for approval')),
  };
}
