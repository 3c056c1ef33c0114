// `doctor`: starts each configured MCP server, lists its tools, and stops it.
// A server that fails or hangs is a warning: the agent runs without its tools.
import type { LoadedConfig } from '../config/config.js';
import type { CheckResult } from './check.js';

export async function checkMcpServers(
  loaded: LoadedConfig,
  cwd: string,
  env: NodeJS.ProcessEnv,
  connectTimeoutMs = 15_000,
): Promise<CheckResult[]> {
  const configured = loaded.config.mcpServers;
  if (!configured || Object.keys(configured).length === 0) return [];
  const [{ describeServer }, { buildMcpConnections }] = await Promise.all([
    import('../mcp/server-config.js'),
    import('../mcp/build-connections.js'),
  ]);
  // One try each: doctor reports what a start does now, without waiting through retries.
  const { connections, problems } = buildMcpConnections(loaded, cwd, env, { connectTimeoutMs, maxRestarts: 0 });
  const results: CheckResult[] = problems.map((problem) => ({
    label: 'MCP server',
    status: 'warn',
    detail: problem,
    fix: 'Fix its entry under "mcpServers" in your config.',
  }));
  if (!connections) return results;
  connections.start();
  try {
    await connections.settled();
    for (const server of connections.servers()) {
      const label = `MCP server ${server.name}`;
      if (server.state.status === 'ready') {
        const names = server.tools.map((tool) => tool.name);
        results.push({
          label,
          status: 'ok',
          detail: `${names.length} tool${names.length === 1 ? '' : 's'}${names.length ? `: ${names.join(', ')}` : ''}`,
        });
      } else {
        const reason = server.state.status === 'failed' ? server.state.reason : server.state.status;
        results.push({
          label,
          status: 'warn',
          detail: `${describeServer(server.config)}: ${reason}`,
          fix: 'Run the command by hand to see its error, or fix the server entry under "mcpServers".',
        });
      }
    }
    return results;
  } finally {
    await connections.close();
  }
}
