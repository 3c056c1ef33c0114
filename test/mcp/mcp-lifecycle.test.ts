// MCP servers over a session's life, on real servers: one that fails its first
// starts (retried with backoff, its tools offered once it starts) and one whose
// tool list changes (the next request offers the new list). The clock is
// injected: backoff never waits for real.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import { Agent, type AgentOptions } from '../../src/agent/loop.js';
import type { LoadedConfig } from '../../src/config/config.js';
import { buildMcpConnections } from '../../src/mcp/build-connections.js';
import type { McpConnections, McpConnectionsOptions } from '../../src/mcp/connections.js';
import { describeServerState, mcpStatusLines } from '../../src/mcp/status-lines.js';
import type { ChatMessage } from '../../src/model/backend.js';
import { startMcpServers } from '../../src/modes/mcp-setup.js';
import { defaultTools } from '../../tools/default-tools.js';
import { surfaceRegistry } from '../../tools/surfaces/surface.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { growingServer, lateServer, pruningServer } from '../fixtures/mcp-servers.js';
import { ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempRoot(): string {
  const repo = makeTempRepo({ 'a.txt': 'a\n' });
  cleanups.push(() => repo.remove());
  return repo.root;
}

function loaded(mcpServers: Record<string, unknown>): LoadedConfig {
  return { config: { mcpServers }, sources: {}, warnings: [], files: { user: 'config.json' }, projectMcpServers: [] };
}

/** Connections to `mcpServers` as the session builds them, with every state change written down. */
function connectionsTo(
  root: string,
  mcpServers: Record<string, unknown>,
  options: Partial<McpConnectionsOptions> = {},
): { connections: McpConnections; seen: string[] } {
  const seen: string[] = [];
  const { connections } = buildMcpConnections(loaded(mcpServers), root, process.env, {
    wait: async () => {},
    ...options,
    onChange: () => seen.push(...connections!.servers().map(describeServerState)),
  });
  cleanups.push(() => connections!.close());
  return { connections: connections!, seen };
}

async function agentWith(
  connections: McpConnections,
  root: string,
  steps: ScriptedStep[],
  asking: Pick<AgentOptions, 'approvalMode' | 'approver'> = {
    approvalMode: 'full-auto',
    approver: async () => ({ approved: true }),
  },
) {
  const backend = new ScriptedBackend(steps);
  const agent = new Agent({
    backend,
    tools: surfaceRegistry('native', defaultTools(), () => connections.tools()),
    workspace: await Workspace.open(root),
    instructions: 'You are a test.',
    ...asking,
    emit: () => {},
  });
  return { agent, backend };
}

function toolNames(backend: ScriptedBackend, request: number): string[] {
  return backend.requests[request]!.tools.map((tool) => tool.name);
}

function lastToolResult(messages: readonly ChatMessage[]): string {
  const tool = messages.findLast((m) => m.role === 'tool');
  return tool && 'content' in tool ? String(tool.content) : '';
}

describe('a server whose first start fails', () => {
  it('is started again with backoff, says so in /mcp, and its tools are offered once it starts', async () => {
    const root = tempRoot();
    const counter = path.join(root, 'starts');
    const delays: number[] = [];
    // The first wait is held open, so /mcp can be read while the server waits for its second try.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { connections, seen } = connectionsTo(
      root,
      { late: lateServer(counter, 2) },
      { wait: (ms) => (delays.push(ms), delays.length === 1 ? held : Promise.resolve()) },
    );
    connections.start();
    await connections.firstAttempts();
    expect(mcpStatusLines(connections.servers(), 'config.json')[1]).toMatch(
      /^ {2}late \(.*\): failed, retrying in 0\.5 s \(attempt 2 of 4\): .*not ready yet \(start 1\)/,
    );
    expect(connections.tools()).toEqual([]);
    release();
    await connections.settled();

    expect(seen).toEqual([
      expect.stringMatching(/^failed, retrying in 0\.5 s \(attempt 2 of 4\): .*not ready yet \(start 1\)\)$/),
      'starting (attempt 2 of 4)',
      expect.stringMatching(/^failed, retrying in 1 s \(attempt 3 of 4\): .*not ready yet \(start 2\)\)$/),
      'starting (attempt 3 of 4)',
      'ready, 1 tool',
    ]);
    expect(delays).toEqual([500, 1000]);
    expect(readFileSync(counter, 'utf8')).toBe('3');
    const { agent, backend } = await agentWith(connections, root, [
      { toolCalls: [{ name: 'mcp__late__ping', arguments: {} }] },
      { answer: 'done' },
    ]);
    await agent.runTurn('ping');
    expect(toolNames(backend, 0)).toContain('mcp__late__ping');
    expect(lastToolResult(backend.requests[1]!.messages)).toBe('pong on start 3');
  }, 60_000);

  it('gives up after the configured number of restarts, with the server’s last words', async () => {
    const root = tempRoot();
    const counter = path.join(root, 'starts');
    const { connections } = connectionsTo(root, { late: lateServer(counter, 10) }, { maxRestarts: 2 });
    connections.start();
    await connections.settled();
    expect(connections.servers()[0]!.state).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/not ready yet \(start 3\)\); gave up after 2 restarts$/),
    });
    // Bounded by count: three starts, then no more.
    expect(readFileSync(counter, 'utf8')).toBe('3');
    expect(connections.tools()).toEqual([]);
  }, 60_000);

  it('is not started again when its command cannot be run: that would fail the same way', async () => {
    const root = tempRoot();
    const notExecutable = path.join(root, 'server.sh');
    writeFileSync(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
    const { connections, seen } = connectionsTo(root, {
      missing: { command: path.join(root, 'no-such-server') },
      plain: { command: notExecutable },
    });
    connections.start();
    await connections.settled();
    expect(connections.servers().map(describeServerState)).toEqual([
      expect.stringMatching(/^failed: its command was not found \(.*ENOENT\)$/),
      expect.stringMatching(/^failed: its command cannot be run \(.*EACCES\)$/),
    ]);
    expect(seen.filter((line) => line.includes('retrying'))).toEqual([]);
  }, 60_000);

  it('is started again when only its own words on stderr say ENOENT or timed out', async () => {
    const root = tempRoot();
    const says = (words: string, name: string) => ({
      ...lateServer(path.join(root, name), 1),
      env: { LATE_SERVER_SAYS: words },
    });
    const { connections } = connectionsTo(root, {
      file: says("Error: ENOENT: no such file or directory, open 'settings.json'", 'file-starts'),
      db: says('database connection timed out', 'db-starts'),
    });
    connections.start();
    await connections.settled();
    // It ran, and failed for its own reasons: a second start serves.
    expect(connections.servers().map(describeServerState)).toEqual(['ready, 1 tool', 'ready, 1 tool']);
    expect(readFileSync(path.join(root, 'file-starts'), 'utf8')).toBe('2');
    expect(readFileSync(path.join(root, 'db-starts'), 'utf8')).toBe('2');
  }, 60_000);

  it('stops waiting for its next start when the session closes, and starts it no more', async () => {
    const root = tempRoot();
    const counter = path.join(root, 'starts');
    // The real clock, with a wait far longer than the test's timeout: only close() can end it.
    const { connections } = connectionsTo(
      root,
      { late: lateServer(counter, 1) },
      { backoffMs: () => 3_600_000, wait: undefined },
    );
    connections.start();
    await connections.firstAttempts();
    expect(connections.servers()[0]!.state).toMatchObject({ status: 'retrying', delayMs: 3_600_000 });
    await connections.close();
    await connections.settled();
    expect(connections.servers()[0]!.state.status).toBe('stopped');
    expect(readFileSync(counter, 'utf8')).toBe('1');
  }, 60_000);

  it('is told in the transcript: each retry, then the server ready', async () => {
    const root = tempRoot();
    const events: AgentEvent[] = [];
    const connections = await startMcpServers(
      loaded({ late: lateServer(path.join(root, 'starts'), 1) }),
      root,
      process.env,
      (event) => events.push(event),
    );
    cleanups.push(() => connections?.close());
    await connections!.settled();
    const notices = events.flatMap((event) => (event.type === 'model.notice' ? [event.message] : []));
    expect(notices).toEqual([
      expect.stringMatching(
        /^MCP server "late" failed to start: .*not ready yet \(start 1\)\)\. Retrying in 0\.5 s \(attempt 2 of 4\)\.$/,
      ),
      'MCP server "late" is ready (1 tool).',
    ]);
  }, 60_000);
});

describe('a server whose tool list changes', () => {
  it('offers the new list from the next request on, and the new tool runs', async () => {
    const root = tempRoot();
    const { connections, seen } = connectionsTo(root, { growing: growingServer });
    connections.start();
    await connections.settled();
    const { agent, backend } = await agentWith(connections, root, [
      { toolCalls: [{ name: 'mcp__growing__grow', arguments: {} }] },
      { toolCalls: [{ name: 'mcp__growing__sprout', arguments: {} }] },
      { answer: 'done' },
    ]);
    await agent.runTurn('grow');
    expect(toolNames(backend, 0)).toEqual(expect.arrayContaining(['mcp__growing__grow']));
    expect(toolNames(backend, 0)).not.toContain('mcp__growing__sprout');
    // The change came with the answer to grow: the very next request has it.
    expect(toolNames(backend, 1)).toEqual(expect.arrayContaining(['mcp__growing__grow', 'mcp__growing__sprout']));
    expect(lastToolResult(backend.requests[2]!.messages)).toBe('the sprout answers');
    expect(seen).toEqual(['ready, 3 tools', 'ready, 4 tools']);
    expect(mcpStatusLines(connections.servers(), 'config.json')[2]).toBe('    grow, announce, lists, sprout');
  }, 60_000);

  it('answers a call in the same step to a tool the server removed meanwhile: no longer offered, not run', async () => {
    const root = tempRoot();
    const { connections } = connectionsTo(root, { pruning: pruningServer });
    connections.start();
    await connections.settled();
    const { agent, backend } = await agentWith(connections, root, [
      {
        toolCalls: [
          { name: 'mcp__pruning__prune', arguments: {} },
          { name: 'mcp__pruning__leaf', arguments: {} },
        ],
      },
      { answer: 'done' },
    ]);
    await agent.runTurn('prune, then ask the leaf');
    expect(toolNames(backend, 0)).toEqual(expect.arrayContaining(['mcp__pruning__prune', 'mcp__pruning__leaf']));
    const results = backend.requests[1]!.messages.filter((m) => m.role === 'tool');
    expect(results.map((m) => m.content)).toEqual([
      'pruned',
      expect.stringMatching(/^The tool mcp__pruning__leaf is no longer offered: its server removed it after it was/),
    ]);
    expect(toolNames(backend, 1)).not.toContain('mcp__pruning__leaf');
    // The server's own list agrees.
    expect(connections.servers()[0]!.tools.map((tool) => tool.name)).toEqual(['prune']);
  }, 60_000);

  it('does not call a tool the server removed while the user was approving it, and tells the model so', async () => {
    const root = tempRoot();
    const { connections } = connectionsTo(root, { pruning: pruningServer });
    connections.start();
    await connections.settled();
    const asked: string[] = [];
    const { agent, backend } = await agentWith(
      connections,
      root,
      [{ toolCalls: [{ name: 'mcp__pruning__leaf', arguments: {} }] }, { answer: 'done' }],
      {
        approvalMode: 'suggest',
        // While the dialog is open the server drops `leaf` (and re-lists); then the user says yes.
        approver: async (request, signal) => {
          asked.push(request.tool);
          await connections.call('pruning', 'prune', {}, signal);
          return { approved: true };
        },
      },
    );
    await agent.runTurn('ask the leaf');
    expect(asked).toEqual(['mcp__pruning__leaf']);
    expect(toolNames(backend, 0)).toContain('mcp__pruning__leaf');
    const told = lastToolResult(backend.requests[1]!.messages);
    expect(told).toMatch(/^The tool mcp__pruning__leaf is no longer offered: its server removed it after it was/);
    expect(told).toContain('so the call was not run');
    expect(told).not.toContain('the leaf answers');
    expect(toolNames(backend, 1)).not.toContain('mcp__pruning__leaf');
    expect(connections.servers()[0]!.tools.map((tool) => tool.name)).toEqual(['prune']);
  }, 60_000);

  it('tells the transcript once the tools changed', async () => {
    const root = tempRoot();
    const notices: string[] = [];
    const connections = await startMcpServers(loaded({ growing: growingServer }), root, process.env, (event) => {
      if (event.type === 'model.notice') notices.push(event.message);
    });
    cleanups.push(() => connections?.close());
    await connections!.settled();
    await connections!.call('growing', 'grow', {}, new AbortController().signal);
    // Announced again with the same tools: nothing new to tell.
    await connections!.call('growing', 'grow', {}, new AbortController().signal);
    expect(notices).toEqual([
      'MCP server "growing" is ready (3 tools).',
      'MCP server "growing" changed its tools (now 4 tools); the model gets them with its next request.',
    ]);
  }, 60_000);

  it('lists the tools once for many announcements that arrive together', async () => {
    const root = tempRoot();
    const { connections } = connectionsTo(root, { growing: growingServer });
    connections.start();
    await connections.settled();
    const signal = new AbortController().signal;
    const text = async (tool: string, args: Record<string, unknown> = {}) =>
      (await connections.call('growing', tool, args, signal)).content?.[0]?.text;
    expect(await text('lists')).toBe('1');
    expect(await text('announce', { times: 50 })).toBe('announced');
    expect(await text('lists')).toBe('2');
  }, 60_000);

  it('counts the new tools in the context the next request needs', async () => {
    const root = tempRoot();
    const { connections } = connectionsTo(root, { growing: growingServer });
    connections.start();
    await connections.settled();
    const { agent } = await agentWith(connections, root, []);
    const before = (await agent.contextUsage()).usedTokens;
    await connections.call('growing', 'grow', {}, new AbortController().signal);
    expect(connections.tools().map((tool) => tool.name)).toContain('mcp__growing__sprout');
    expect((await agent.contextUsage()).usedTokens).toBeGreaterThan(before);
  }, 60_000);
});
