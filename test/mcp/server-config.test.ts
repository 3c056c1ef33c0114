import { describe, expect, it } from 'vitest';
import { parseMcpServers } from '../../src/mcp/server-config.js';
import { mcpRuleMatches, mcpToolName } from '../../src/mcp/tool-name.js';
import { fitDescription, fitSchema, MAX_DESCRIPTION } from '../../src/mcp/tool-spec.js';

describe('mcpServers as users paste it', () => {
  it('reads stdio and HTTP servers, with the type/transport keys other tools write', () => {
    const { servers, problems } = parseMcpServers({
      files: { command: 'npx', args: ['-y', 'server'], env: { A: 'b' }, cwd: 'sub' },
      typed: { type: 'stdio', command: 'srv' },
      remote: { type: 'streamable-http', url: 'https://example.test/mcp', headers: { Authorization: 'Bearer x' } },
      bare: { url: 'http://127.0.0.1:9/mcp' },
      off: { command: 'x', disabled: true },
    });
    expect(problems).toEqual([]);
    expect(Object.fromEntries(servers)).toEqual({
      files: { transport: 'stdio', command: 'npx', args: ['-y', 'server'], env: { A: 'b' }, cwd: 'sub' },
      typed: { transport: 'stdio', command: 'srv', args: [], env: {} },
      remote: { transport: 'http', url: 'https://example.test/mcp', headers: { Authorization: 'Bearer x' } },
      bare: { transport: 'http', url: 'http://127.0.0.1:9/mcp', headers: {} },
    });
  });

  it('leaves out a broken server with a reason and keeps the others', () => {
    const { servers, problems } = parseMcpServers({
      good: { command: 'srv' },
      nothing: {},
      badArgs: { command: 'srv', args: 'a b' },
      badUrl: { url: 'file:///etc/passwd' },
      ws: { type: 'websocket', url: 'ws://x' },
    });
    expect([...servers.keys()]).toEqual(['good']);
    expect(problems).toEqual([
      'MCP server "nothing" is left out: it needs a "command" to run (or a "url" for an HTTP server).',
      'MCP server "badArgs" is left out: "args" must be a list of strings.',
      'MCP server "badUrl" is left out: "file:///etc/passwd" is not an http(s) URL.',
      'MCP server "ws" is left out: transport "websocket" is not supported (use "stdio" with a command, or "http" with a url).',
    ]);
  });
});

describe('MCP tool names', () => {
  it('are mcp__server__tool in [a-zA-Z0-9_-], at most 64 characters, distinct when cut', () => {
    expect(mcpToolName('files', 'read_file')).toBe('mcp__files__read_file');
    expect(mcpToolName('my server.v2', 'get/item')).toBe('mcp__my_server_v2__get_item');
    expect(mcpToolName('a__b', 'c')).toBe('mcp__a_b__c');
    const long = mcpToolName('server', 'x'.repeat(100));
    const other = mcpToolName('server', `${'x'.repeat(99)}y`);
    expect(long).toMatch(/^[a-zA-Z0-9_-]{64}$/);
    expect(other).not.toBe(long);
  });

  it('match rules exactly or by a trailing * only', () => {
    expect(mcpRuleMatches('mcp__files__*', 'mcp__files__read')).toBe(true);
    expect(mcpRuleMatches('mcp__files__*', 'mcp__files_x__read')).toBe(false);
    expect(mcpRuleMatches('mcp__files__read', 'mcp__files__read_all')).toBe(false);
    expect(mcpRuleMatches('mcp__*__read', 'mcp__files__read')).toBe(false);
    expect(mcpRuleMatches('npm test', 'mcp__files__read')).toBe(false);
  });
});

describe('what the model reads of an MCP tool', () => {
  it('cuts long descriptions and drops schema keys the rendering does not use', () => {
    const text = fitDescription('files', 'word '.repeat(1000));
    expect(text.length).toBeLessThan(MAX_DESCRIPTION + 40);
    expect(text.endsWith('… (MCP server files)')).toBe(true);
    expect(
      fitSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { title: { type: 'string', title: 'Title' } },
        required: ['title'],
      }),
    ).toEqual({ type: 'object', properties: { title: { type: 'string' } }, required: ['title'] });
    expect(fitSchema(undefined)).toEqual({ type: 'object', properties: {} });
  });
});
