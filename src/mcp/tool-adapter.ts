// MCP tools as our `Tool`s: developer-message functions named
// `mcp__<server>__<tool>`, asking for approval (they run outside the sandbox)
// and returning the server's text as the tool result.
import { notApprovedResult, type Tool, type ToolResult } from '../../tools/tool.js';
import type { McpConnections, McpServerView } from './connections.js';
import { mcpToolName } from './tool-name.js';
import { fitDescription, fitSchema, MAX_TOOLS_PER_SERVER } from './tool-spec.js';
import { contentText, type McpContent } from './tool-result.js';

/** Characters of the arguments the UI's one-line description shows. */
const SHOWN_ARGUMENTS = 120;

/** Every listed tool of every server, in config order then the server's order; names stay unique. */
export function mcpTools(connections: McpConnections): Tool[] {
  const tools: Tool[] = [];
  const taken = new Set<string>();
  for (const server of connections.servers()) {
    for (const info of server.tools.slice(0, MAX_TOOLS_PER_SERVER)) {
      const name = mcpToolName(server.name, info.name);
      if (taken.has(name)) continue;
      taken.add(name);
      tools.push(adapt(connections, server, info.name, name, info.description, info.inputSchema));
    }
  }
  return tools;
}

function adapt(
  connections: McpConnections,
  server: McpServerView,
  tool: string,
  name: string,
  description: string | undefined,
  schema: Record<string, unknown>,
): Tool<Record<string, unknown>> {
  const describe = (args: Record<string, unknown>) => {
    const shown = JSON.stringify(args ?? {});
    return `${server.name} › ${tool} ${shown.length > SHOWN_ARGUMENTS ? `${shown.slice(0, SHOWN_ARGUMENTS)}…` : shown}`;
  };
  return {
    name,
    kind: 'exec',
    description: fitDescription(server.name, description),
    parameters: fitSchema(schema),
    describe,
    origin: JSON.stringify(['mcp', server.name, tool]),
    async execute(args, ctx): Promise<ToolResult> {
      const outcome = await ctx.ask({
        tool: name,
        kind: 'exec',
        title: `MCP server ${server.name}: ${tool}`,
        command: `${tool} ${JSON.stringify(args ?? {}, null, 2)}`,
        sandboxed: false,
        mcp: { server: server.name, tool, fromProject: server.fromProject },
      });
      // `data` names the server in every result (exec --json, the UI).
      const data = { server: server.name, tool };
      if (!outcome.approved) {
        return { ...notApprovedResult(outcome, `the call of ${tool} on the MCP server ${server.name}`), data };
      }
      let result;
      try {
        result = await connections.call(server.name, tool, args ?? {}, ctx.signal);
      } catch (error) {
        return {
          isError: true,
          summary: 'failed',
          output: (error as Error).message,
          data: { server: server.name, tool },
        };
      }
      const text = contentText(result.content as McpContent[] | undefined, result.structuredContent);
      return {
        output: result.isError ? `The tool reported an error: ${text}` : text || '(no output)',
        ...(result.isError ? { isError: true, summary: 'tool error' } : {}),
        data,
      };
    },
  };
}
