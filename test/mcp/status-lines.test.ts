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
        state: { status: 'restarting', attempt: 2, attempts: 4, reason: 'the server stopped' },
        tools: [tool('log')],
      },
      {
        name: 'web2',
        config: stdio,
        fromProject: false,
        state: { status: 'retrying', attempt: 2, attempts: 4, delayMs: 2000, reason: 'Connection closed (not yet)' },
        tools: [],
      },
      {
        name: 'web3',
        config: stdio,
        fromProject: false,
        state: { status: 'starting', attempt: 3, attempts: 4 },
        tools: [],
      },
    ];
    expect(mcpStatusLines(servers, 'config.json')).toEqual([
      'MCP servers:',
      '  files (srv --root .): ready, 2 tools',
      '    read, write',
      '  web (https://x.test/mcp, from the project config): starting',
      '  db (srv --root .): failed: its command was not found',
      '  git (srv --root .): restarting (attempt 2 of 4): the server stopped',
      '    log',
      '  web2 (srv --root .): failed, retrying in 2 s (attempt 2 of 4): Connection closed (not yet)',
      '  web3 (srv --root .): starting (attempt 3 of 4)',
    ]);
  });

  it('says where to configure servers when there are none', () => {
    expect(mcpStatusLines([], '~/.config/gptoss-agent/config.json')).toEqual([
      'No MCP servers are configured. Add them under "mcpServers" in ~/.config/gptoss-agent/config.json.',
    ]);
  });
});
