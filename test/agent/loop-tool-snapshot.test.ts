// A tool list that changes in the middle of a model step (an MCP server announcing
// a new list): the step's budget, its request and the calls it brings back all use
// the list taken when the step began. The change is injected at the edges: the
// token counter the budget uses, and the backend the request goes to.
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import type { GenerateRequest, ModelEvent } from '../../src/model/backend.js';
import { defaultTools } from '../../tools/default-tools.js';
import { surfaceRegistry } from '../../tools/surfaces/surface.js';
import { defineTool, notApprovedResult, type Tool } from '../../tools/tool.js';
import { ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { testAgent } from '../fixtures/test-agent.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

/** A server's tool, as the registry's dynamic source offers it; `runs` counts its calls. */
function serverTool(name: string, runs: string[] = []): Tool<{ query?: string }> {
  return defineTool({
    name,
    kind: 'read',
    description: `The server's ${name}.`,
    parameters: { type: 'object', properties: { query: { type: 'string' } } },
    describe: () => name,
    execute: async () => {
      runs.push(name);
      return { output: `${name} ran` };
    },
  });
}

/** A server's tool that asks before it runs, as MCP tools do; `server` is where it comes from. */
function askingTool(name: string, server: string, runs: string[]): Tool<Record<string, unknown>> {
  return defineTool({
    name,
    kind: 'exec',
    description: `The ${server} server's ${name}.`,
    parameters: { type: 'object', properties: {} },
    describe: () => name,
    origin: server,
    execute: async (_args, ctx) => {
      const outcome = await ctx.ask({
        tool: name,
        kind: 'exec',
        title: `MCP server ${server}: ${name}`,
        command: name,
        sandboxed: false,
        mcp: { server, tool: name, fromProject: false },
      });
      if (!outcome.approved) return notApprovedResult(outcome, `the call of ${name}`);
      runs.push(`${server}: ${name}`);
      return { output: `${name} ran on ${server}` };
    },
  });
}

/** Calls `beforeRequest` as each request arrives, before the scripted model answers it. */
class ListChangingBackend extends ScriptedBackend {
  constructor(
    steps: ScriptedStep[],
    private readonly beforeRequest: (index: number) => void,
  ) {
    super(steps);
  }

  override async *generate(request: GenerateRequest): AsyncIterable<ModelEvent> {
    this.beforeRequest(this.requests.length);
    yield* super.generate(request);
  }
}

async function repoRoot(): Promise<string> {
  const repo = makeTempRepo({ 'notes.txt': 'remember the milk\n' });
  repos.push(repo);
  return repo.root;
}

function toolResults(events: readonly AgentEvent[]) {
  return events.flatMap((event) => (event.type === 'tool.result' ? [event] : []));
}

describe('one tool list per model step', () => {
  it('counts in the budget exactly the tools the request declares, when a tool arrives while counting', async () => {
    const offered: Tool[] = [serverTool('mcp__notes__find')];
    const counted: string[] = [];
    // The server announces its new tool while the budget is being counted.
    const countTokens = async (text: string) => {
      counted.push(text);
      if (text.includes('mcp__notes__find') && offered.length === 1) offered.push(serverTool('mcp__notes__late'));
      return Math.ceil(text.length / 4);
    };
    const backend = new ScriptedBackend([
      { toolCalls: [{ name: 'mcp__notes__find', arguments: { query: 'milk' } }] },
      { answer: 'done' },
    ]);
    const { agent } = await testAgent(await repoRoot(), backend, {
      tools: surfaceRegistry('native', defaultTools(), () => offered),
      context: { countTokens },
    });
    const result = await agent.runTurn('Find the milk.');
    expect(result.stopReason).toBe('answer');

    const [first, second] = backend.requests;
    const names = (request: GenerateRequest) => request.tools.map((tool) => tool.name);
    // The list the step began with, counted and sent as one.
    expect(names(first!)).toContain('mcp__notes__find');
    expect(names(first!)).not.toContain('mcp__notes__late');
    expect(counted).toContain(JSON.stringify(first!.tools));
    expect(counted).toContain(JSON.stringify(first!.systemTools));
    // The new tool is offered from the next step on, and counted for it.
    expect(names(second!)).toContain('mcp__notes__late');
    expect(counted).toContain(JSON.stringify(second!.tools));
  });

  it('tells the model a tool its server removed after the request is no longer offered, and runs nothing', async () => {
    const runs: string[] = [];
    // `search` is also the model's alias for repo_browser.search: resolved against the list of the moment,
    // the removed tool's call would have run that other tool.
    const offered: Tool[] = [serverTool('search', runs), serverTool('mcp__notes__keep', runs)];
    const backend = new ListChangingBackend(
      [{ toolCalls: [{ name: 'search', arguments: { query: 'milk' } }] }, { answer: 'done' }],
      (index) => {
        if (index === 0) offered.splice(0, 1);
      },
    );
    const { agent, events } = await testAgent(await repoRoot(), backend, {
      tools: surfaceRegistry('native', defaultTools(), () => offered),
    });
    const result = await agent.runTurn('Search for milk.');

    expect(result.stopReason).toBe('answer');
    expect(backend.requests[0]!.tools.map((tool) => tool.name)).toContain('search');
    expect(runs).toEqual([]);
    const [only] = toolResults(events);
    expect(toolResults(events)).toHaveLength(1);
    expect(only).toMatchObject({ name: 'search', ok: false });
    expect(only!.output).toContain('The tool search is no longer offered');
    expect(only!.output).toContain('removed it after it was offered to you');
    expect(only!.output).toContain('mcp__notes__keep');
    expect(only!.output).not.toContain('notes.txt');
    // The model reads the same words, and the next request no longer offers the tool.
    const told = backend.requests[1]!.messages.find((message) => message.role === 'tool');
    expect(told).toMatchObject({ name: 'search', content: only!.output });
    expect(backend.requests[1]!.tools.map((tool) => tool.name)).not.toContain('search');
  });

  it('runs a tool that is still offered after a change to the list during the step', async () => {
    const runs: string[] = [];
    const offered = ['mcp__notes__find'];
    const backend = new ListChangingBackend(
      [{ toolCalls: [{ name: 'mcp__notes__find', arguments: { query: 'milk' } }] }, { answer: 'done' }],
      (index) => {
        if (index === 0) offered.push('mcp__notes__new');
      },
    );
    // New objects for every list, as MCP servers' tools are rebuilt after each change: the tool is known by name.
    const { agent, events } = await testAgent(await repoRoot(), backend, {
      tools: surfaceRegistry('native', defaultTools(), () => offered.map((name) => serverTool(name, runs))),
    });
    await agent.runTurn('Find the milk.');

    expect(runs).toEqual(['mcp__notes__find']);
    expect(toolResults(events)).toMatchObject([{ name: 'mcp__notes__find', ok: true, output: 'mcp__notes__find ran' }]);
  });
});

describe('a tool its server changes while the user is approving its call', () => {
  const call: ScriptedStep = { toolCalls: [{ name: 'mcp__notes__drop', arguments: {} }] };

  /** The agent, with an approver that hands `change` the list before answering yes. */
  async function approving(change: (offered: Tool[]) => void, runs: string[]) {
    const offered: Tool[] = [
      askingTool('mcp__notes__drop', 'notes', runs),
      askingTool('mcp__notes__keep', 'notes', runs),
    ];
    const asked: string[] = [];
    const backend = new ScriptedBackend([call, { answer: 'done' }]);
    const { agent, events } = await testAgent(await repoRoot(), backend, {
      tools: surfaceRegistry('native', defaultTools(), () => offered),
      approver: async (request) => {
        asked.push(request.tool);
        change(offered);
        return { approved: true };
      },
    });
    expect(await agent.runTurn('Drop the milk.')).toMatchObject({ stopReason: 'answer' });
    return { backend, events, asked };
  }

  it('runs nothing when the server removed the tool, and the model reads that it is no longer offered', async () => {
    const runs: string[] = [];
    const { backend, events, asked } = await approving((offered) => offered.splice(0, 1), runs);
    expect(asked).toEqual(['mcp__notes__drop']);
    expect(runs).toEqual([]);
    const [only] = toolResults(events);
    expect(toolResults(events)).toHaveLength(1);
    expect(only).toMatchObject({ name: 'mcp__notes__drop', ok: false, summary: 'not run' });
    const [said, offeredNow] = only!.output.split('The tools offered now are: ');
    expect(said).toBe(
      'The tool mcp__notes__drop is no longer offered: its server removed it after it was offered to you, ' +
        'so the call was not run. ',
    );
    expect(offeredNow).toContain('mcp__notes__keep');
    expect(offeredNow).not.toContain('mcp__notes__drop');
    expect(backend.requests[1]!.messages.find((m) => m.role === 'tool')).toMatchObject({ content: only!.output });
  });

  it('runs nothing when a tool of the same name from another server took its place', async () => {
    const runs: string[] = [];
    const { events } = await approving(
      (offered) => offered.splice(0, 1, askingTool('mcp__notes__drop', 'other', runs)),
      runs,
    );
    expect(runs).toEqual([]);
    expect(toolResults(events)).toMatchObject([{ name: 'mcp__notes__drop', ok: false, summary: 'not run' }]);
    expect(toolResults(events)[0]!.output).toContain('The tool mcp__notes__drop is no longer offered');
  });

  it('runs the call once when the server only rebuilt its list, the tool still in it', async () => {
    const runs: string[] = [];
    const { events, asked } = await approving(
      (offered) => offered.splice(0, offered.length, ...offered.map((tool) => askingTool(tool.name, 'notes', runs))),
      runs,
    );
    expect(asked).toEqual(['mcp__notes__drop']);
    expect(runs).toEqual(['notes: mcp__notes__drop']);
    expect(toolResults(events)).toMatchObject([
      { name: 'mcp__notes__drop', ok: true, output: 'mcp__notes__drop ran on notes' },
    ]);
  });
});
