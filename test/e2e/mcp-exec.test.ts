// The built binary's `exec --json` with MCP servers in the user config: the
// first request carries their tools, the events name the server, a server that
// cannot start is reported while the run goes on, one whose first start fails is
// retried, and one whose tool list changes is offered its new list.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { runCli } from '../fixtures/cli.js';
import { everythingServer, growingServer, lateServer } from '../fixtures/mcp-servers.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `exec --json` in full-auto against a scripted server, with these MCP servers in the user config. */
async function execWith(exchanges: ScriptedResponse[], mcpServers: (home: string) => Record<string, unknown>) {
  const server = await startChatServer(exchanges);
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
    JSON.stringify({ mcpServers: mcpServers(home.root) }),
  );
  const run = await runCli(
    ['exec', '--json', '--approval', 'full-auto', '--endpoint', server.url, '--model', 'gpt-oss-20b', 'go'],
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
  const toolNames = (request: number) =>
    (server.chatBodies[request] as { tools: { function: { name: string } }[] }).tools.map((tool) => tool.function.name);
  const lastMessage = (request: number) =>
    (server.chatBodies[request] as { messages: { role: string; content: string }[] }).messages.at(-1)?.content;
  return { events, toolNames, lastMessage };
}

describe('exec with MCP servers', () => {
  it('offers their tools, runs one in full-auto, and names the server in the JSON events', async () => {
    const { events, toolNames, lastMessage } = await execWith(
      [
        { step: { toolCalls: [{ name: 'mcp__everything__get-sum', arguments: { a: 20, b: 22 } }] } },
        { step: { answer: 'It is 42.' } },
      ],
      () => ({ everything: everythingServer, missing: { command: '/nonexistent/server' } }),
    );
    expect(toolNames(0)).toContain('mcp__everything__get-sum');
    expect(events.find((event) => event.type === 'tool.result')).toMatchObject({
      name: 'mcp__everything__get-sum',
      ok: true,
      data: { server: 'everything', tool: 'get-sum' },
    });
    expect(JSON.stringify(events)).toContain('MCP server \\"missing\\" failed: its command was not found');
    // A command that is not there is not tried again.
    expect(JSON.stringify(events)).not.toContain('MCP server \\"missing\\" failed to start');
    expect(lastMessage(1)).toContain('42');
  }, 90_000);

  it('retries a server whose first start fails and offers its tools in the first request', async () => {
    const { events, toolNames, lastMessage } = await execWith(
      [{ step: { toolCalls: [{ name: 'mcp__late__ping', arguments: {} }] } }, { step: { answer: 'It answered.' } }],
      (home) => ({ late: lateServer(path.join(home, 'starts'), 1) }),
    );
    const notices = events.flatMap((event) => (event.type === 'model.notice' ? [String(event.message)] : []));
    expect(notices).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MCP server "late" failed to start: .*not ready yet \(start 1\).*attempt 2 of 4\)\.$/),
        'MCP server "late" is ready (1 tool).',
      ]),
    );
    expect(toolNames(0)).toContain('mcp__late__ping');
    expect(lastMessage(1)).toContain('pong on start 2');
  }, 90_000);

  it('offers a server’s new tool list from the request after it changed', async () => {
    const { toolNames, lastMessage } = await execWith(
      [
        { step: { toolCalls: [{ name: 'mcp__growing__grow', arguments: {} }] } },
        { step: { toolCalls: [{ name: 'mcp__growing__sprout', arguments: {} }] } },
        { step: { answer: 'It grew.' } },
      ],
      () => ({ growing: growingServer }),
    );
    expect(toolNames(0)).toContain('mcp__growing__grow');
    expect(toolNames(0)).not.toContain('mcp__growing__sprout');
    expect(toolNames(1)).toEqual(expect.arrayContaining(['mcp__growing__grow', 'mcp__growing__sprout']));
    expect(lastMessage(2)).toContain('the sprout answers');
  }, 90_000);
});
