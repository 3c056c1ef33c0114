// The one way a config's `mcpServers` becomes an `McpConnections`: the session
// and `doctor` start the same servers, with the same environment and origins.
import type { LoadedConfig } from '../config/config.js';
import { connectMcp } from './connect.js';
import { McpConnections, type McpConnectionsOptions } from './connections.js';
import { parseMcpServers } from './server-config.js';

export interface BuiltMcpConnections {
  /** Absent when no entry is usable. Not started yet. */
  connections?: McpConnections;
  /** One line per entry left out, saying why and what to fix. */
  problems: string[];
}

export function buildMcpConnections(
  loaded: Pick<LoadedConfig, 'config' | 'projectMcpServers'>,
  cwd: string,
  env: NodeJS.ProcessEnv,
  options: Omit<McpConnectionsOptions, 'servers' | 'projectServers' | 'cwd' | 'env' | 'connect'> = {},
): BuiltMcpConnections {
  const { servers, problems } = parseMcpServers(loaded.config.mcpServers);
  if (servers.size === 0) return { problems };
  const connections = new McpConnections({
    servers,
    projectServers: new Set(loaded.projectMcpServers),
    cwd,
    env,
    connect: connectMcp,
    ...options,
  });
  return { connections, problems };
}
