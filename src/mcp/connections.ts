// The session's MCP servers: started in the background with the session,
// restarted a bounded number of times (with backoff) when one crashes, stopped
// with it. Calls go to whichever connection is live; a server that is starting,
// restarting or failed answers with a message the model can act on.
import type { McpCallResult, McpConnection, McpToolInfo, connectMcp } from './connect.js';
import type { Tool } from '../../tools/tool.js';
import type { McpServerConfig } from './server-config.js';
import { mcpTools } from './tool-adapter.js';

export type McpServerState =
  | { status: 'starting' }
  | { status: 'ready'; tools: McpToolInfo[] }
  | { status: 'restarting'; attempt: number; reason: string }
  | { status: 'failed'; reason: string }
  | { status: 'stopped' };

export interface McpServerView {
  name: string;
  config: McpServerConfig;
  fromProject: boolean;
  state: McpServerState;
  /** The tools last listed (kept while the server restarts). */
  tools: McpToolInfo[];
}

export interface McpConnectionsOptions {
  servers: ReadonlyMap<string, McpServerConfig>;
  /** Servers the project config set. */
  projectServers: ReadonlySet<string>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  connect: typeof connectMcp;
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  /** Restarts after crashes, per server, for the whole session. */
  maxRestarts?: number;
  /** Waits before restart number `attempt` (1-based). */
  backoff?: (attempt: number) => Promise<void>;
  onChange?: () => void;
  version?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

interface Entry {
  view: McpServerView;
  connection?: McpConnection;
  restarts: number;
  /** Settles when the current start attempt has ended (ready or failed). */
  settled: Promise<void>;
}

export class McpConnections {
  private readonly entries = new Map<string, Entry>();
  private stopped = false;
  /** The tools as last built; rebuilt when a server's state changes. */
  private toolList: Tool[] | undefined;

  constructor(private readonly options: McpConnectionsOptions) {
    for (const [name, config] of options.servers) {
      this.entries.set(name, {
        view: { name, config, fromProject: options.projectServers.has(name), state: { status: 'starting' }, tools: [] },
        restarts: 0,
        settled: Promise.resolve(),
      });
    }
  }

  /** Starts every server; returns at once. */
  start(): void {
    for (const entry of this.entries.values()) entry.settled = this.open(entry);
  }

  /** Resolves once every server has become ready or failed (its current attempt). */
  async settled(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.settled));
  }

  /** The servers' tools as our tools (those of servers not ready stay listed: a call says why it cannot run). */
  tools(): Tool[] {
    this.toolList ??= mcpTools(this);
    return this.toolList;
  }

  servers(): McpServerView[] {
    return [...this.entries.values()].map((entry) => ({ ...entry.view }));
  }

  async call(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    const entry = this.entries.get(server);
    if (!entry) throw new Error(`There is no MCP server "${server}".`);
    const state = entry.view.state;
    if (!entry.connection || state.status !== 'ready') throw new Error(unavailable(server, state));
    const timeout = this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    try {
      return await entry.connection.call(tool, args, timeout, signal);
    } catch (error) {
      const message = (error as Error).message;
      if (/timed? ?out/i.test(message)) {
        throw new Error(`The MCP server "${server}" did not answer the call of ${tool} within ${timeout / 1000} s.`);
      }
      throw new Error(`The MCP server "${server}" failed the call of ${tool}: ${message}`);
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        entry.view.state = { status: 'stopped' };
        const connection = entry.connection;
        entry.connection = undefined;
        await connection?.close().catch(() => {});
      }),
    );
  }

  private async open(entry: Entry): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let connection: McpConnection;
    try {
      connection = await this.options.connect(entry.view.config, {
        cwd: this.options.cwd,
        env: this.options.env,
        timeoutMs,
        version: this.options.version ?? '0',
      });
    } catch (error) {
      if (this.stopped) return;
      this.set(entry, { status: 'failed', reason: startFailure(error, timeoutMs) });
      return;
    }
    if (this.stopped) {
      await connection.close().catch(() => {});
      return;
    }
    entry.connection = connection;
    entry.view.tools = connection.tools;
    this.set(entry, { status: 'ready', tools: connection.tools });
    connection.onClose(() => void this.crashed(entry, connection));
  }

  private async crashed(entry: Entry, connection: McpConnection): Promise<void> {
    if (this.stopped || entry.connection !== connection) return;
    entry.connection = undefined;
    const tail = connection.stderrTail().split('\n').slice(-3).join(' | ');
    const reason = `the server stopped${tail ? ` (${tail})` : ''}`;
    const max = this.options.maxRestarts ?? 3;
    if (entry.restarts >= max) {
      this.set(entry, { status: 'failed', reason: `${reason}; gave up after ${max} restarts` });
      return;
    }
    entry.restarts += 1;
    this.set(entry, { status: 'restarting', attempt: entry.restarts, reason });
    await (this.options.backoff ?? defaultBackoff)(entry.restarts);
    if (this.stopped) return;
    entry.settled = this.open(entry);
    await entry.settled;
  }

  private set(entry: Entry, state: McpServerState): void {
    entry.view.state = state;
    this.toolList = undefined;
    this.options.onChange?.();
  }
}

function defaultBackoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** (attempt - 1), 8000)).unref());
}

function startFailure(error: unknown, timeoutMs: number): string {
  const message = (error as Error).message ?? String(error);
  if (/timed? ?out/i.test(message)) return `it did not finish starting within ${timeoutMs / 1000} s`;
  if (/ENOENT/.test(message)) return `its command was not found (${message})`;
  return message;
}

function unavailable(server: string, state: McpServerState): string {
  switch (state.status) {
    case 'starting':
      return `The MCP server "${server}" is still starting; try again in a moment.`;
    case 'restarting':
      return `The MCP server "${server}" stopped and is restarting (attempt ${state.attempt}); try again in a moment.`;
    case 'failed':
      return `The MCP server "${server}" is not available: ${state.reason}. Do without its tools.`;
    default:
      return `The MCP server "${server}" is stopped.`;
  }
}
