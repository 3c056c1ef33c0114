// What shell and run_tests share before a command runs: the sandbox from the
// mode, and one approval request that shows the exact command line and says
// plainly when it would run outside the sandbox.
import type { Sandbox, SandboxState } from './sandbox.js';
import { ToolError, type ApprovalOutcome, type ToolContext } from '../tool.js';

export function sandboxOf(ctx: ToolContext, tool: string): Sandbox {
  if (!ctx.sandbox) throw new ToolError(`${tool} cannot run commands in this mode; use the other tools.`);
  return ctx.sandbox;
}

export function askToRun(
  ctx: ToolContext,
  tool: string,
  command: string,
  state: SandboxState,
): Promise<ApprovalOutcome> {
  const firstLine = command.split('\n', 1)[0]!;
  return ctx.ask({
    tool,
    kind: 'exec',
    title: `Run ${firstLine.length > 100 ? `${firstLine.slice(0, 99)}…` : firstLine}`,
    command,
    sandboxed: state.sandboxed,
    ...(state.sandboxed ? {} : { warning: `runs WITHOUT the sandbox: ${state.reason ?? 'unknown reason'}` }),
  });
}
