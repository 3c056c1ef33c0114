// The `mcpServers` setting in the shape other agents use, so a block pasted from
// their configs works: `{ "name": { "command", "args", "env", "cwd" } }` for a
// server we start, `{ "name": { "url", "headers" } }` for a streamable-HTTP one.
// `type` / `transport` keys are accepted and checked against the shape.

export type McpServerConfig =
  | { transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { transport: 'http'; url: string; headers: Record<string, string> };

export interface ParsedMcpServers {
  servers: Map<string, McpServerConfig>;
  /** One line per server left out, saying why and what to fix. */
  problems: string[];
}

const STDIO_WORDS = new Set(['stdio']);
const HTTP_WORDS = new Set(['http', 'streamable-http', 'streamable_http', 'streamableHttp', 'sse', 'remote']);

/** Whether the value has the shape of an `mcpServers` object (each entry is checked by `parseMcpServers`). */
export function checkMcpServers(value: unknown): string | undefined {
  return isRecord(value) && Object.values(value).every(isRecord)
    ? undefined
    : 'an object of servers, e.g. {"files": {"command": "npx", "args": ["server"]}}';
}

export function parseMcpServers(value: unknown): ParsedMcpServers {
  const servers = new Map<string, McpServerConfig>();
  const problems: string[] = [];
  if (!isRecord(value)) return { servers, problems };
  for (const [name, entry] of Object.entries(value)) {
    const parsed = parseServer(entry);
    if (typeof parsed === 'string') problems.push(`MCP server "${name}" is left out: ${parsed}`);
    else if (!isRecord(entry) || entry.disabled !== true) servers.set(name, parsed);
  }
  return { servers, problems };
}

function parseServer(entry: unknown): McpServerConfig | string {
  if (!isRecord(entry)) return 'its settings must be an object.';
  const declared = [entry.type, entry.transport].find((word) => typeof word === 'string') as string | undefined;
  if (declared !== undefined && !STDIO_WORDS.has(declared) && !HTTP_WORDS.has(declared)) {
    return `transport "${declared}" is not supported (use "stdio" with a command, or "http" with a url).`;
  }
  if (typeof entry.url === 'string' || (declared !== undefined && HTTP_WORDS.has(declared))) {
    if (typeof entry.url !== 'string') return 'an HTTP server needs a "url".';
    let url: URL;
    try {
      url = new URL(entry.url);
    } catch {
      return `"${entry.url}" is not a URL.`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${entry.url}" is not an http(s) URL.`;
    const headers = stringRecord(entry.headers, 'headers');
    if (typeof headers === 'string') return headers;
    return { transport: 'http', url: url.href, headers };
  }
  if (typeof entry.command !== 'string' || entry.command.trim() === '') {
    return 'it needs a "command" to run (or a "url" for an HTTP server).';
  }
  const args = entry.args ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) return '"args" must be a list of strings.';
  const env = stringRecord(entry.env, 'env');
  if (typeof env === 'string') return env;
  if (entry.cwd !== undefined && typeof entry.cwd !== 'string') return '"cwd" must be a path.';
  return {
    transport: 'stdio',
    command: entry.command,
    args: args as string[],
    env,
    ...(typeof entry.cwd === 'string' ? { cwd: entry.cwd } : {}),
  };
}

function stringRecord(value: unknown, key: string): Record<string, string> | string {
  if (value === undefined) return {};
  if (!isRecord(value) || !Object.values(value).every((item) => typeof item === 'string')) {
    return `"${key}" must be an object of strings.`;
  }
  return value as Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a server is shown to the user (trust dialogs, /mcp): the command line or the URL. */
export function describeServer(config: McpServerConfig): string {
  return config.transport === 'http' ? config.url : [config.command, ...config.args].join(' ');
}
