// Opens one connection to an MCP server with the official SDK, loaded only
// when a server is configured (it stays off the UI's first-frame path).
import path from 'node:path';
import type { McpServerConfig } from './server-config.js';

export interface McpToolInfo {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

export interface McpCallResult {
  content?: Array<{ type: string; [key: string]: unknown }>;
  structuredContent?: unknown;
  isError?: boolean;
}

/** A live connection; `onClose` fires once when it ends for any reason. */
export interface McpConnection {
  tools: McpToolInfo[];
  call(tool: string, args: Record<string, unknown>, timeoutMs: number, signal: AbortSignal): Promise<McpCallResult>;
  close(): Promise<void>;
  onClose(listener: () => void): void;
  /** The server's last lines on stderr, for error messages. */
  stderrTail(): string;
}

const STDERR_KEPT = 2000;

export async function connectMcp(
  config: McpServerConfig,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; version: string },
): Promise<McpConnection> {
  const [{ Client }, transports] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    config.transport === 'stdio'
      ? import('@modelcontextprotocol/sdk/client/stdio.js')
      : import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
  ]);
  let stderr = '';
  let transport;
  if (config.transport === 'stdio') {
    const { StdioClientTransport, getDefaultEnvironment } =
      transports as typeof import('@modelcontextprotocol/sdk/client/stdio.js');
    const stdio = new StdioClientTransport({
      command: config.command,
      args: config.args,
      // Only the basics (PATH, HOME, …) and what the config names: not the user's whole environment.
      env: { ...getDefaultEnvironment(), ...config.env },
      cwd: path.resolve(options.cwd, config.cwd ?? '.'),
      // Never inherited: it would write over the UI.
      stderr: 'pipe',
    });
    stdio.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    transport = stdio;
  } else {
    const { StreamableHTTPClientTransport } =
      transports as typeof import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    transport = new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
  }
  const client = new Client({ name: 'gptoss-agent', version: options.version });
  const closeListeners: Array<() => void> = [];
  let closed = false;
  client.onclose = () => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener();
  };
  const fail = async (error: unknown): Promise<never> => {
    await client.close().catch(() => {});
    throw error;
  };
  await client.connect(transport, { timeout: options.timeoutMs }).catch(fail);
  const listed = await client.listTools(undefined, { timeout: options.timeoutMs }).catch(fail);
  return {
    tools: listed.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema as Record<string, unknown>,
    })),
    call: async (tool, args, timeoutMs, signal) =>
      (await client.callTool({ name: tool, arguments: args }, undefined, {
        timeout: timeoutMs,
        signal,
      })) as McpCallResult,
    close: () => client.close(),
    onClose: (listener) => closeListeners.push(listener),
    stderrTail: () => stderr.trim(),
  };
}
