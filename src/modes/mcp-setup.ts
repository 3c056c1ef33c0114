// Starts the MCP servers the merged config names (none: nothing is loaded).
// The SDK and our client code load with `await import()`, off the UI's first frame.
import type { AgentEventSink } from '../agent/events.js';
import type { LoadedConfig } from '../config/config.js';
import type { McpConnections, McpServerView } from '../mcp/connections.js';
import type { Tool } from '../../tools/tool.js';

export async function startMcpServers(
  loaded: LoadedConfig,
  cwd: string,
  env: NodeJS.ProcessEnv,
  emit: AgentEventSink,
  options: { connectTimeoutMs?: number; callTimeoutMs?: number } = {},
): Promise<McpConnections | undefined> {
  const configured = loaded.config.mcpServers;
  if (!configured || Object.keys(configured).length === 0) return undefined;
  const [{ buildMcpConnections }, { describeServerState }] = await Promise.all([
    import('../mcp/build-connections.js'),
    import('../mcp/status-lines.js'),
  ]);
  const told = new Set<string>();
  // Each server's first start, each retry of a failed start and the final failure are told once.
  const tell = (servers: McpServerView[]) => {
    for (const server of servers) {
      const message = notice(server, describeServerState);
      if (message === undefined || told.has(message.key)) continue;
      told.add(message.key);
      emit({ type: 'model.notice', message: message.text });
    }
  };
  const { connections, problems } = buildMcpConnections(loaded, cwd, env, {
    ...options,
    onChange: () => connections && tell(connections.servers()),
  });
  for (const message of problems) emit({ type: 'model.notice', message });
  connections?.start();
  return connections;
}

function notice(
  server: McpServerView,
  describe: (server: McpServerView) => string,
): { key: string; text: string } | undefined {
  const { name, state } = server;
  switch (state.status) {
    case 'ready':
      return {
        key: `${name}:ready`,
        text: `MCP server "${name}" is ready (${describe(server).replace(/^ready, /, '')}).`,
      };
    case 'retrying':
      return {
        key: `${name}:retrying:${state.attempt}`,
        text: `MCP server "${name}" failed to start: ${state.reason}. Retrying in ${state.delayMs / 1000} s (attempt ${state.attempt} of ${state.attempts}).`,
      };
    case 'failed':
      return { key: `${name}:failed`, text: `MCP server "${name}" failed: ${state.reason}` };
    default:
      return undefined;
  }
}

/** The adapter is loaded with the servers, so this stays a plain call. */
export function mcpToolsOf(connections: McpConnections): readonly Tool[] {
  return connections.tools();
}
