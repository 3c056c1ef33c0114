// The built binary's `exec --json` with MCP servers in the user config: the
// first request carries their tools, the events name the server, and a
// server that cannot start is reported while the run goes on.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer } from '../fixtures/chat-server.js';
import { runCli } from '../fixtures/cli.js';
import { everythingServer } from '../fixtures/mcp-servers.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('exec with MCP servers', () => {
  it('offers their tools, runs one in full-auto, and names the server in the JSON events', async () => {
    const server = await startChatServer([
      { step: { toolCalls: [{ name: 'mcp__everything__get-sum', arguments: { a: 20, b: 22 } }] } },
      { step: { answer: 'It is 42.' } },
    ]);
    const repo = makeTempRepo({ 'a.txt': 'a\n' });
    const home = makeTempRepo({}, { git: false });
    cleanups.push(
      () => server.close(),
      () => repo.remove(),
      () => home.remove(),
    );
    mkdirSync(path.join(home.root, 'config/gptoss-agent'), { recursive: true });
    writeFileSync(
      path.join(home.root, 'config/gptoss-agent/config.json'),
      JSON.stringify({ mcpServers: { everything: everythingServer, missing: { command: '/nonexistent/server' } } }),
    );
    const run = await runCli(
      ['exec', '--json', '--approval', 'full-auto', '--endpoint', server.url, '--model', 'gpt-oss-20b', 'add'],
      {
        cwd: repo.root,
        env: {
          ...process.env,
          XDG_CONFIG_HOME: path.join(home.root, 'config'),
          XDG_STATE_HOME: path.join(home.root, 'state'),
        },
        timeoutMs: 60_000,
      },
    );
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
    const first = server.chatBodies[0] as { tools: { function: { name: string } }[] };
    expect(first.tools.map((tool) => tool.function.name)).toContain('mcp__everything__get-sum');
    expect(events.find((event) => event.type === 'tool.result')).toMatchObject({
      name: 'mcp__everything__get-sum',
      ok: true,
      data: { server: 'everything', tool: 'get-sum' },
    });
    expect(JSON.stringify(events)).toContain('MCP server \\"missing\\" failed: its command was not found');
    expect(
      (server.chatBodies[1] as { messages: { role: string; content: string }[] }).messages.at(-1)?.content,
    ).toContain('42');
  }, 90_000);
});
