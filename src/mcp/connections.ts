// The session's MCP servers: started in the background with the session,
// started again a bounded number of times (with backoff) when a start fails or
// a server crashes, stopped with it. A tool list the server announces as
// changed is offered from the next model request on. Calls go to whichever
// connection is live; a server that is starting, retrying, restarting or
// failed answers with a message the model can act on.
import {
  lastLines,
  ServerSaidError,
  type McpCallResult,
  type McpConnection,
  type McpToolInfo,
  type connectMcp,
} from './connect.js';
import type { Tool } from '../../tools/tool.js';
import type { McpServerConfig } from './server-config.js';
import { mcpTools } from './tool-adapter.js';

export type McpServerState =
  /** `attempt` (from 2) when this is a retry of a start that failed; `attempts` is the most there will be. */
  | { status: 'starting'; attempt?: number; attempts?: number }
  | { status: 'ready'; tools: McpToolInfo[] }
  /** A start failed; attempt number `attempt` of `attempts` follows in `delayMs`. */
  | { status: 'retrying'; attempt: number; attempts: number; delayMs: number; reason: string }
  /** The server stopped after it had started; attempt number `attempt` of `attempts` follows. */
  | { status: 'restarting'; attempt: number; attempts: number; reason: string }
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
  /** Starts after the first (a failed start or a crash), per server, for the whole session. */
  maxRestarts?: number;
  /** Milliseconds to wait before restart number `restart` (1-based). */
  backoffMs?: (restart: number) => number;
  /** The clock: waits `ms` (by default a timer that `close()` cuts short). */
  wait?: (ms: number) => Promise<void>;
  onChange?: () => void;
  version?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RESTARTS = 3;

interface Entry {
  view: McpServerView;
  connection?: McpConnection;
  restarts: number;
  /** Settles when the server is ready or has given up (failed starts retried included). */
  settled: Promise<void>;
  /** Settles when the first start attempt has ended, ready or not. */
  firstAttempt: Promise<void>;
}

export class McpConnections {
  private readonly entries = new Map<string, Entry>();
  private stopped = false;
  /** Backoff timers running now; `close()` ends them, so they never hold the process open. */
  private readonly waits = new Set<() => void>();
  /** The tools as last built; rebuilt when a server's state changes. */
  private toolList: Tool[] | undefined;

  constructor(private readonly options: McpConnectionsOptions) {
    for (const [name, config] of options.servers) {
      this.entries.set(name, {
        view: { name, config, fromProject: options.projectServers.has(name), state: { status: 'starting' }, tools: [] },
        restarts: 0,
        settled: Promise.resolve(),
        firstAttempt: Promise.resolve(),
      });
    }
  }

  /** Starts every server; returns at once. */
  start(): void {
    for (const entry of this.entries.values()) {
      let attempted!: () => void;
      entry.firstAttempt = new Promise((resolve) => (attempted = resolve));
      entry.settled = this.open(entry, attempted);
    }
  }

  /** Resolves once every server is ready or has given up, its retries of a failed start included. */
  async settled(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.settled));
  }

  /** Resolves once every server's first start attempt has ended: those that failed may still be retrying. */
  async firstAttempts(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.firstAttempt));
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
    for (const end of [...this.waits]) end();
    await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        entry.view.state = { status: 'stopped' };
        const connection = entry.connection;
        entry.connection = undefined;
        await connection?.close().catch(() => {});
      }),
    );
  }

  /**
   * Starts the server; a failed start is tried again while restarts are left, after a growing wait (not a
   * command that cannot be run: that fails the same way each time).
   * `attempted` is called when the first try has ended.
   */
  private async open(entry: Entry, attempted: () => void = () => {}): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const max = this.options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    for (;;) {
      let connection: McpConnection | undefined;
      let failure = { reason: '', lasting: false };
      try {
        connection = await this.options.connect(entry.view.config, {
          cwd: this.options.cwd,
          env: this.options.env,
          timeoutMs,
          version: this.options.version ?? '0',
        });
      } catch (error) {
        failure = startFailure(error, timeoutMs);
      }
      if (this.stopped) {
        attempted();
        await connection?.close().catch(() => {});
        return;
      }
      if (connection) {
        this.ready(entry, connection);
        attempted();
        return;
      }
      const { reason } = failure;
      if (failure.lasting || entry.restarts >= max) {
        const told = failure.lasting || max === 0 ? reason : `${reason}; ${gaveUp(max)}`;
        this.set(entry, { status: 'failed', reason: told });
        attempted();
        return;
      }
      entry.restarts += 1;
      const delayMs = this.backoffMs(entry.restarts);
      const attempts = { attempt: entry.restarts + 1, attempts: max + 1 };
      this.set(entry, { status: 'retrying', ...attempts, delayMs, reason });
      attempted();
      await this.wait(delayMs);
      if (this.stopped) return;
      this.set(entry, { status: 'starting', ...attempts });
    }
  }

  private ready(entry: Entry, connection: McpConnection): void {
    entry.connection = connection;
    entry.view.tools = connection.tools;
    this.set(entry, { status: 'ready', tools: connection.tools });
    connection.onClose(() => this.crashed(entry, connection));
    // Offered from the next request on: a request already sent keeps the list it was built with.
    connection.onToolsChanged((tools) => {
      if (this.stopped || entry.connection !== connection) return;
      entry.view.tools = tools;
      this.set(entry, { status: 'ready', tools });
    });
  }

  private crashed(entry: Entry, connection: McpConnection): void {
    if (this.stopped || entry.connection !== connection) return;
    entry.connection = undefined;
    const tail = lastLines(connection.stderrTail());
    const reason = `the server stopped${tail ? ` (${tail})` : ''}`;
    const max = this.options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    if (entry.restarts >= max) {
      this.set(entry, { status: 'failed', reason: `${reason}; ${gaveUp(max)}` });
      return;
    }
    entry.restarts += 1;
    this.set(entry, { status: 'restarting', attempt: entry.restarts + 1, attempts: max + 1, reason });
    // Set at once, so that `settled()` called during the wait waits for the restart too.
    entry.settled = this.wait(this.backoffMs(entry.restarts)).then(() => (this.stopped ? undefined : this.open(entry)));
  }

  /**
   * A timer that keeps the process alive (a headless run may have nothing else to wait on while a
   * server waits for its next start), ended early by `close()`.
   */
  private wait(ms: number): Promise<void> {
    if (this.options.wait) return this.options.wait(ms);
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.waits.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.waits.add(end);
    });
  }

  private backoffMs(restart: number): number {
    return (this.options.backoffMs ?? defaultBackoffMs)(restart);
  }

  private set(entry: Entry, state: McpServerState): void {
    entry.view.state = state;
    this.toolList = undefined;
    this.options.onChange?.();
  }
}

/** 0.5 s, 1 s, 2 s, … at most 8 s. */
function defaultBackoffMs(restart: number): number {
  return Math.min(500 * 2 ** (restart - 1), 8000);
}

function gaveUp(max: number): string {
  return `gave up after ${max} restart${max === 1 ? '' : 's'}`;
}

/** Why a start failed; `lasting` when starting again would fail the same way (the program cannot be run). */
function startFailure(error: unknown, timeoutMs: number): { reason: string; lasting: boolean } {
  const message = (error as Error).message ?? String(error);
  // Judged by the connection's own error: a server that exits saying "ENOENT" or "timed out" on stderr has started.
  const reported = error instanceof ServerSaidError ? error.cause.message : message;
  if (/timed? ?out/i.test(reported))
    return { reason: `it did not finish starting within ${timeoutMs / 1000} s`, lasting: false };
  if (/ENOENT/.test(reported)) return { reason: `its command was not found (${message})`, lasting: true };
  if (/EACCES/.test(reported)) return { reason: `its command cannot be run (${message})`, lasting: true };
  return { reason: message, lasting: false };
}

function unavailable(server: string, state: McpServerState): string {
  switch (state.status) {
    case 'starting':
      return `The MCP server "${server}" is still starting; try again in a moment.`;
    case 'retrying':
      return `The MCP server "${server}" failed to start and will try again (attempt ${state.attempt} of ${state.attempts}); try again in a moment.`;
    case 'restarting':
      return `The MCP server "${server}" stopped and is restarting (attempt ${state.attempt} of ${state.attempts}); try again in a moment.`;
    case 'failed':
      return `The MCP server "${server}" is not available: ${state.reason}. Do without its tools.`;
    default:
      return `The MCP server "${server}" is stopped.`;
  }
}
