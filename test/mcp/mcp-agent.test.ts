// MCP servers end to end: real servers (the npm reference servers, a flaky one,
// a loopback HTTP one), our client, and a scripted model calling their tools.
import { afterEach, describe, expect, it } from 'vitest';
import { allowRule, type ApprovalRule, type Approver } from '../../src/agent/approvals.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { Agent } from '../../src/agent/loop.js';
import { connectMcp } from '../../src/mcp/connect.js';
import { McpConnections } from '../../src/mcp/connections.js';
import { parseMcpServers } from '../../src/mcp/server-config.js';
import type { ChatMessage } from '../../src/model/backend.js';
import { renderFunctionsNamespace } from '../../src/model/harmony/tool-docs.js';
import { defaultTools } from '../../tools/default-tools.js';
import { surfaceRegistry } from '../../tools/surfaces/surface.js';
import type { ApprovalRequest } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { everythingServer, filesystemServer, flakyServer, startHttpMcpServer } from '../fixtures/mcp-servers.js';
import { ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function servers(
  config: Record<string, unknown>,
  options: Partial<ConstructorParameters<typeof McpConnections>[0]> = {},
) {
  const repo = makeTempRepo({ 'notes.txt': 'remember the milk\n' });
  cleanups.push(() => repo.remove());
  const connections = new McpConnections({
    servers: parseMcpServers(config).servers,
    projectServers: new Set(),
    cwd: repo.root,
    env: process.env,
    connect: connectMcp,
    wait: async () => {},
    ...options,
  });
  cleanups.push(() => connections.close());
  connections.start();
  await connections.settled();
  return { repo, connections };
}

async function agentWith(
  connections: McpConnections,
  root: string,
  steps: ScriptedStep[],
  options: { approver?: Approver; rules?: ApprovalRule[]; mode?: 'suggest' | 'full-auto' } = {},
) {
  const backend = new ScriptedBackend(steps);
  const asked: ApprovalRequest[] = [];
  const events: AgentEvent[] = [];
  const approver: Approver = options.approver ?? (async () => ({ approved: true }));
  const agent = new Agent({
    backend,
    tools: surfaceRegistry('native', defaultTools(), () => connections.tools()),
    workspace: await Workspace.open(root),
    instructions: 'You are a test.',
    approvalMode: options.mode ?? 'suggest',
    approver: (request, signal) => {
      asked.push(request);
      return approver(request, signal);
    },
    rules: options.rules ?? [],
    emit: (event) => events.push(event),
  });
  return { agent, backend, asked, events };
}

function call(name: string, args: unknown): ScriptedStep[] {
  return [{ toolCalls: [{ name, arguments: args }] }, { answer: 'done' }];
}

function toolResult(messages: readonly ChatMessage[]): string {
  const tool = messages.find((m) => m.role === 'tool');
  return tool && 'content' in tool ? String(tool.content) : '';
}

describe('MCP tools in the agent', () => {
  it('offers server-everything tools as functions and runs echo after the user says yes', async () => {
    const { repo, connections } = await servers({ everything: everythingServer });
    expect(connections.servers()[0]!.state.status).toBe('ready');
    const { agent, backend, asked, events } = await agentWith(
      connections,
      repo.root,
      call('mcp__everything__echo', { message: 'hi there' }),
    );
    await agent.runTurn('echo');
    const names = backend.requests[0]!.tools.map((tool) => tool.name);
    expect(names).toContain('mcp__everything__echo');
    expect(names.every((name) => /^[a-zA-Z0-9_-]{1,64}$/.test(name))).toBe(true);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.mcp).toEqual({ server: 'everything', tool: 'echo', fromProject: false });
    expect(asked[0]!.command).toContain('hi there');
    expect(toolResult(backend.requests[1]!.messages)).toContain('hi there');
    // exec --json prints these events: the result names the server and its tool.
    expect(events.find((event) => event.type === 'tool.result')).toMatchObject({
      name: 'mcp__everything__echo',
      ok: true,
      data: { server: 'everything', tool: 'echo' },
    });
  }, 60_000);

  it('renders both reference servers’ tools in harmony’s function declarations', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a\n' });
    cleanups.push(() => repo.remove());
    const { connections } = await servers({ everything: everythingServer, fs: filesystemServer(repo.root) });
    const specs = connections.tools().map(({ name, description, parameters }) => ({ name, description, parameters }));
    const rendered = renderFunctionsNamespace(specs);
    expect(rendered).toContain('type mcp__everything__echo = (_: {');
    expect(rendered).toContain('type mcp__fs__read_text_file = (_: {');
    expect(specs.every((spec) => spec.description.length < 700)).toBe(true);
  }, 60_000);

  it('tells the model when the user says no, and does not call the tool', async () => {
    const { repo, connections } = await servers({ everything: everythingServer });
    const { agent, backend } = await agentWith(
      connections,
      repo.root,
      call('mcp__everything__get-sum', { a: 2, b: 3 }),
      {
        approver: async () => ({ approved: false, feedback: 'not now' }),
      },
    );
    await agent.runTurn('add');
    const result = toolResult(backend.requests[1]!.messages);
    expect(result).toContain('rejected');
    expect(result).toContain('not now');
    expect(result).not.toContain('5');
  }, 60_000);

  it('an "always" answer covers the next call of that tool; a config rule asks nobody', async () => {
    const { repo, connections } = await servers({ everything: everythingServer });
    const steps = [
      { toolCalls: [{ name: 'mcp__everything__get-sum', arguments: { a: 2, b: 3 } }] },
      { toolCalls: [{ name: 'mcp__everything__get-sum', arguments: { a: 4, b: 5 } }] },
      { answer: 'done' },
    ];
    const always = await agentWith(connections, repo.root, steps, {
      approver: async (request) => ({ approved: true, always: { kind: 'mcp', pattern: request.tool } }),
    });
    await always.agent.runTurn('add twice');
    expect(always.asked).toHaveLength(1);
    expect(toolResult(always.backend.requests[2]!.messages.slice(-1))).toContain('9');

    const ruled = await agentWith(connections, repo.root, call('mcp__everything__get-sum', { a: 1, b: 1 }), {
      rules: [allowRule('mcp__everything__*')],
      approver: async () => ({ approved: false }),
    });
    await ruled.agent.runTurn('add');
    expect(ruled.asked).toHaveLength(0);
    expect(toolResult(ruled.backend.requests[1]!.messages)).toContain('2');
  }, 60_000);

  it('reads a file through server-filesystem rooted in the repository', async () => {
    const repo = makeTempRepo({ 'notes.txt': 'remember the milk\n' });
    cleanups.push(() => repo.remove());
    const { connections } = await servers({ fs: filesystemServer(repo.root) });
    const { agent, backend } = await agentWith(
      connections,
      repo.root,
      call('mcp__fs__read_text_file', { path: `${repo.root}/notes.txt` }),
      { mode: 'full-auto' },
    );
    await agent.runTurn('read');
    expect(toolResult(backend.requests[1]!.messages)).toContain('remember the milk');
  }, 60_000);

  it('calls a streamable-HTTP server with the configured headers', async () => {
    const http = await startHttpMcpServer();
    cleanups.push(() => http.close());
    const { repo, connections } = await servers({
      loud: { type: 'http', url: http.url, headers: { 'x-test': 'yes' } },
    });
    const { agent, backend } = await agentWith(connections, repo.root, call('mcp__loud__shout', { text: 'quiet' }), {
      mode: 'full-auto',
    });
    await agent.runTurn('shout');
    expect(toolResult(backend.requests[1]!.messages)).toContain('QUIET');
    expect(http.seen).toContain('yes');
  }, 60_000);

  it('restarts a server that crashes, a bounded number of times', async () => {
    const { repo, connections } = await servers({ flaky: flakyServer() }, { maxRestarts: 1 });
    const { agent, backend } = await agentWith(connections, repo.root, call('mcp__flaky__crash', {}), {
      mode: 'full-auto',
    });
    await agent.runTurn('crash');
    expect(toolResult(backend.requests[1]!.messages)).toMatch(/flaky/);
    // Bounded by count: wait for the restart to settle, then the server answers again.
    for (let i = 0; i < 200 && connections.servers()[0]!.state.status !== 'ready'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await connections.settled();
    }
    expect(connections.servers()[0]!.state.status).toBe('ready');
    const again = await agentWith(connections, repo.root, call('mcp__flaky__ping', {}), { mode: 'full-auto' });
    await again.agent.runTurn('ping');
    expect(toolResult(again.backend.requests[1]!.messages)).toContain('pong');

    // The second crash is one too many: the server is marked failed, with why.
    const last = await agentWith(connections, repo.root, call('mcp__flaky__crash', {}), { mode: 'full-auto' });
    await last.agent.runTurn('crash');
    for (let i = 0; i < 200 && connections.servers()[0]!.state.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(connections.servers()[0]!.state).toMatchObject({ status: 'failed', reason: /gave up after 1 restart/ });
  }, 60_000);

  it('times out a server that never finishes starting, and a call that never returns', async () => {
    // A start that times out is tried again like any failed start.
    const silent = await servers({ silent: flakyServer('silent') }, { connectTimeoutMs: 500, maxRestarts: 1 });
    expect(silent.connections.servers()[0]!.state).toMatchObject({
      status: 'failed',
      reason: 'it did not finish starting within 0.5 s; gave up after 1 restart',
    });
    const { repo, connections } = await servers({ flaky: flakyServer() }, { callTimeoutMs: 500 });
    const { agent, backend } = await agentWith(connections, repo.root, call('mcp__flaky__hang', {}), {
      mode: 'full-auto',
    });
    await agent.runTurn('hang');
    expect(toolResult(backend.requests[1]!.messages)).toContain(
      'The MCP server "flaky" did not answer the call of hang within 0.5 s.',
    );
  }, 60_000);

  it('sends exactly the same request with no servers as without MCP support', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a\n' });
    cleanups.push(() => repo.remove());
    const plain = new ScriptedBackend([{ answer: 'ok' }]);
    const withHook = new ScriptedBackend([{ answer: 'ok' }]);
    for (const [backend, dynamic] of [
      [plain, undefined],
      [withHook, () => []],
    ] as const) {
      const agent = new Agent({
        backend,
        tools: surfaceRegistry('native', defaultTools(), dynamic),
        workspace: await Workspace.open(repo.root),
        instructions: 'You are a test.',
        approvalMode: 'suggest',
        approver: async () => ({ approved: true }),
        emit: () => {},
      });
      await agent.runTurn('hi');
    }
    expect(JSON.stringify(withHook.requests[0])).toBe(JSON.stringify(plain.requests[0]));
  });
});
