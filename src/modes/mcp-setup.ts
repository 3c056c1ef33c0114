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
  /** Per server, the tool names the user was last told of. */
  const toldTools = new Map<string, string>();
  // Each server's first start, a change of its tools, each retry of a failed start and the final failure are told once.
  const tell = (servers: McpServerView[]) => {
    for (const server of servers) {
      if (server.state.status === 'ready') {
        const text = toolsNotice(server, toldTools, describeServerState);
        if (text !== undefined) emit({ type: 'model.notice', message: text });
        continue;
      }
      const message = notice(server);
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

/** The first start, or a tool list other than the one told (a restart or the server's own change). */
function toolsNotice(
  server: McpServerView,
  toldTools: Map<string, string>,
  describe: (server: McpServerView) => string,
): string | undefined {
  const names = server.tools.map((tool) => tool.name).join(', ');
  const before = toldTools.get(server.name);
  if (before === names) return undefined;
  toldTools.set(server.name, names);
  const count = describe(server).replace(/^ready, /, '');
  return before === undefined
    ? `MCP server "${server.name}" is ready (${count}).`
    : `MCP server "${server.name}" changed its tools (now ${count}); the model gets them with its next request.`;
}

function notice(server: McpServerView): { key: string; text: string } | undefined {
  const { name, state } = server;
  switch (state.status) {
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
