// Starts the MCP servers the merged config names (none: nothing is loaded).
// The SDK and our client code load with `await import()`, off the UI's first frame.
import type { AgentEventSink } from '../agent/events.js';
import type { LoadedConfig } from '../config/config.js';
import type { McpConnections } from '../mcp/connections.js';
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
  const [{ parseMcpServers }, { McpConnections }, { connectMcp }, { describeServerState }] = await Promise.all([
    import('../mcp/server-config.js'),
    import('../mcp/connections.js'),
    import('../mcp/connect.js'),
    import('../mcp/status-lines.js'),
  ]);
  const { servers, problems } = parseMcpServers(configured);
  for (const message of problems) emit({ type: 'model.notice', message });
  if (servers.size === 0) return undefined;
  const connections = new McpConnections({
    servers,
    projectServers: new Set(loaded.projectMcpServers),
    cwd,
    env,
    connect: connectMcp,
    ...options,
    // Each server's first start and every failure are told once: the user learns when its tools are there.
    onChange: () => {
      for (const server of connections.servers()) {
        const state = server.state;
        const key = `${server.name}:${state.status}`;
        if (told.has(key) || (state.status !== 'failed' && state.status !== 'ready')) continue;
        told.add(key);
        emit({
          type: 'model.notice',
          message:
            state.status === 'failed'
              ? `MCP server "${server.name}" failed: ${state.reason}`
              : `MCP server "${server.name}" is ready (${describeServerState(server).replace(/^ready, /, '')}).`,
        });
      }
    },
  });
  const told = new Set<string>();
  connections.start();
  return connections;
}

/** The adapter is loaded with the servers, so this stays a plain call. */
export function mcpToolsOf(connections: McpConnections): readonly Tool[] {
  return connections.tools();
}
