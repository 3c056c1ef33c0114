// `doctor` starts each MCP server the config names and says what it found.
import { describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../src/config/config.js';
import { checkMcpServers } from '../../src/doctor/mcp-check.js';
import { everythingServer, flakyServer } from '../fixtures/mcp-servers.js';

function loadedWith(mcpServers: Record<string, unknown>): LoadedConfig {
  return { config: { mcpServers }, sources: {}, warnings: [], files: { user: 'u' }, projectMcpServers: [] };
}

describe('the MCP check', () => {
  it('lists the tools of a server that starts, and says why one does not', async () => {
    const results = await checkMcpServers(
      loadedWith({
        everything: everythingServer,
        silent: flakyServer('silent'),
        missing: { command: '/nonexistent/mcp-server' },
        broken: { args: ['x'] },
      }),
      process.cwd(),
      process.env,
      // Long enough for the real server to start on a loaded machine; the silent one uses all of it.
      8000,
    );
    expect(results.map((result) => [result.label, result.status])).toEqual([
      ['MCP server', 'warn'],
      ['MCP server everything', 'ok'],
      ['MCP server silent', 'warn'],
      ['MCP server missing', 'warn'],
    ]);
    expect(results[1]!.detail).toMatch(/^\d+ tools: .*echo/);
    expect(results[2]!.detail).toContain('did not finish starting within 8 s');
    expect(results[3]!.detail).toContain('/nonexistent/mcp-server');
  }, 60_000);

  it('checks nothing when no server is configured', async () => {
    expect(await checkMcpServers(loadedWith({}), process.cwd(), process.env)).toEqual([]);
  });
});
