// What `/mcp` and `doctor` say about the servers: each one's state and tools.
import type { McpServerView } from './connections.js';
import { describeServer } from './server-config.js';
import { MAX_TOOLS_PER_SERVER } from './tool-spec.js';

export function describeServerState(server: McpServerView): string {
  const state = server.state;
  switch (state.status) {
    case 'starting':
      return state.attempt ? `starting (attempt ${state.attempt} of ${state.attempts})` : 'starting';
    case 'ready': {
      const count = state.tools.length === 1 ? '1 tool' : `${state.tools.length} tools`;
      const cut =
        state.tools.length > MAX_TOOLS_PER_SERVER ? ` (the model is offered the first ${MAX_TOOLS_PER_SERVER})` : '';
      return `ready, ${count}${cut}`;
    }
    case 'retrying':
      return `failed, retrying in ${state.delayMs / 1000} s (attempt ${state.attempt} of ${state.attempts}): ${state.reason}`;
    case 'restarting':
      return `restarting (attempt ${state.attempt} of ${state.attempts}): ${state.reason}`;
    case 'failed':
      return `failed: ${state.reason}`;
    case 'stopped':
      return 'stopped';
  }
}

export function mcpStatusLines(servers: readonly McpServerView[], configFiles: string): string[] {
  if (servers.length === 0) {
    return [`No MCP servers are configured. Add them under "mcpServers" in ${configFiles}.`];
  }
  const lines = ['MCP servers:'];
  for (const server of servers) {
    const origin = server.fromProject ? ', from the project config' : '';
    lines.push(`  ${server.name} (${describeServer(server.config)}${origin}): ${describeServerState(server)}`);
    if (server.tools.length > 0) lines.push(`    ${server.tools.map((tool) => tool.name).join(', ')}`);
  }
  return lines;
}
