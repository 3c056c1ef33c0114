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
  /** The tools as listed at start; `onToolsChanged` tells of each new list. */
  tools: McpToolInfo[];
  /**
   * Resolves with the call's result once any new tool list the server announced before answering has been
   * read: the request after a call that changed the tools offers the new ones.
   */
  call(tool: string, args: Record<string, unknown>, timeoutMs: number, signal: AbortSignal): Promise<McpCallResult>;
  close(): Promise<void>;
  onClose(listener: () => void): void;
  /** Fires with the whole new list each time the server announces a change (`notifications/tools/list_changed`). */
  onToolsChanged(listener: (tools: McpToolInfo[]) => void): void;
  /** The server's last lines on stderr, for error messages. */
  stderrTail(): string;
}

const STDERR_KEPT = 2000;

export async function connectMcp(
  config: McpServerConfig,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; version: string },
): Promise<McpConnection> {
  const [{ Client }, { ToolListChangedNotificationSchema }, transports] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/types.js'),
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
    // A server that exits while starting says why on stderr; the SDK only says the connection closed.
    const tail = lastLines(stderr);
    if (!tail || !(error instanceof Error)) throw error;
    throw new ServerSaidError(error, tail);
  };
  const listTools = async (timeout: number): Promise<McpToolInfo[]> =>
    (await client.listTools(undefined, { timeout })).tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      inputSchema: tool.inputSchema as Record<string, unknown>,
    }));
  const toolListeners: Array<(tools: McpToolInfo[]) => void> = [];
  // Re-lists run one after another, so the last announced list is the one kept. Announcements that come
  // while one waits to run share it: a server that sends many makes at most one running and one waiting.
  let relisting: Promise<void> = Promise.resolve();
  let relistWaiting = false;
  // Set before connecting: a server may announce a change as soon as it is initialized.
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    if (relistWaiting) return;
    relistWaiting = true;
    relisting = relisting.then(async () => {
      relistWaiting = false;
      if (closed) return;
      // A failed re-list keeps the tools known so far; the next announcement tries again.
      const tools = await listTools(options.timeoutMs).catch(() => undefined);
      if (!tools || closed) return;
      // A listener that throws must not leave the chain rejected: every later call waits on it.
      for (const listener of toolListeners) {
        try {
          listener(tools);
        } catch {
          // The next announcement tells the listeners again.
        }
      }
    });
  });
  await client.connect(transport, { timeout: options.timeoutMs }).catch(fail);
  const tools = await listTools(options.timeoutMs).catch(fail);
  return {
    tools,
    call: async (tool, args, timeoutMs, signal) => {
      const result = (await client.callTool({ name: tool, arguments: args }, undefined, {
        timeout: timeoutMs,
        signal,
      })) as McpCallResult;
      // The announcement, if any, came before the answer: its handler has already queued the re-list.
      // Stopping (the user interrupts) does not wait for it; the tools still change when it ends.
      await untilAborted(relisting, signal);
      return result;
    },
    close: () => client.close(),
    onClose: (listener) => closeListeners.push(listener),
    onToolsChanged: (listener) => toolListeners.push(listener),
    stderrTail: () => stderr.trim(),
  };
}

function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void promise.then(done, done);
  });
}

/**
 * A failed start, with what the server last wrote on stderr added to the message. `cause` is the error as the
 * connection reported it: what the failure is (a timeout, a program not found) is read from that alone, never
 * from words the server chose.
 */
export class ServerSaidError extends Error {
  constructor(
    override readonly cause: Error,
    tail: string,
  ) {
    super(`${cause.message} (${tail})`, { cause });
  }
}

/** The last few lines a server wrote on stderr, on one line. */
export function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
