import { describe, expect, it } from 'vitest';
import type { McpServerView } from '../../src/mcp/connections.js';
import { mcpStatusLines } from '../../src/mcp/status-lines.js';

const tool = (name: string) => ({ name, inputSchema: { type: 'object' } });
const stdio = { transport: 'stdio' as const, command: 'srv', args: ['--root', '.'], env: {} };

describe('/mcp', () => {
  it('lists each server with its state and tools', () => {
    const servers: McpServerView[] = [
      {
        name: 'files',
        config: stdio,
        fromProject: false,
        state: { status: 'ready', tools: [tool('read'), tool('write')] },
        tools: [tool('read'), tool('write')],
      },
      {
        name: 'web',
        config: { transport: 'http', url: 'https://x.test/mcp', headers: {} },
        fromProject: true,
        state: { status: 'starting' },
        tools: [],
      },
      {
        name: 'db',
        config: stdio,
        fromProject: false,
        state: { status: 'failed', reason: 'its command was not found' },
        tools: [],
      },
      {
        name: 'git',
        config: stdio,
        fromProject: false,
        state: { status: 'restarting', attempt: 2, reason: 'the server stopped' },
        tools: [tool('log')],
      },
    ];
    expect(mcpStatusLines(servers, 'config.json')).toEqual([
      'MCP servers:',
      '  files (srv --root .): ready, 2 tools',
      '    read, write',
      '  web (https://x.test/mcp, from the project config): starting',
      '  db (srv --root .): failed: its command was not found',
      '  git (srv --root .): restarting (attempt 2): the server stopped',
      '    log',
    ]);
  });

  it('says where to configure servers when there are none', () => {
    expect(mcpStatusLines([], '~/.config/gptoss-agent/config.json')).toEqual([
      'No MCP servers are configured. Add them under "mcpServers" in ~/.config/gptoss-agent/config.json.',
    ]);
  });
});
