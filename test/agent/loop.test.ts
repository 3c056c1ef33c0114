import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approver } from '../../src/agent/approvals.js';
import { INTERRUPTED_NOTE, type AgentOptions } from '../../src/agent/loop.js';
import type { ChatMessage, ModelBackend, NextRequest } from '../../src/model/backend.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { defineTool } from '../../tools/tool.js';
import { loadTurns, ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { testAgent } from '../fixtures/test-agent.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

async function setUp(steps: ScriptedStep[], options: Partial<AgentOptions> = {}) {
  const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
  repos.push(repo);
  const backend = new ScriptedBackend(steps);
  const { agent, events } = await testAgent(repo.root, backend, options);
  return { repo, backend, events, agent };
}

function toolMessages(messages: readonly ChatMessage[]) {
  return messages.filter((m): m is Extract<ChatMessage, { role: 'tool' }> => m.role === 'tool');
}

describe('the agent loop', () => {
  it("times a tool's run without the time the user took to answer its approval", async () => {
    let clock = 0;
    const approver: Approver = async () => {
      clock += 60_000;
      return { approved: true };
    };
    const { events, agent } = await setUp(loadTurns('patch-rejected'), { approver, now: () => clock });
    await agent.runTurn('Change the greeting.');
    const patched = events.find((e) => e.type === 'tool.result' && e.name === 'apply_patch');
    expect(events.some((e) => e.type === 'approval.requested')).toBe(true);
    expect(patched).toMatchObject({ ok: true, durationMs: 0 });
  });

  it('runs a tool call, feeds the result back, and finishes with the answer', async () => {
    const { backend, events, agent } = await setUp(loadTurns('read-then-answer'));
    const result = await agent.runTurn('What does hello.txt say?');

    expect(result.stopReason).toBe('answer');
    expect(result.answer).toBe('hello.txt says **hello world**.');
    expect(result.usage.generations).toBe(2);
    expect(result.usage.toolCalls).toBe(1);

    // The second request carries the tool result and, for this turn, the reasoning behind the call.
    const second = backend.requests[1]!;
    const [toolMessage] = toolMessages(second.messages);
    expect(toolMessage?.name).toBe('read_file');
    expect(toolMessage?.content).toContain('hello world');
    const assistant = second.messages.find((m) => m.role === 'assistant');
    expect(assistant).toMatchObject({
      role: 'assistant',
      reasoning: 'The user wants to know what hello.txt says. I should read it.',
      preamble: 'Reading hello.txt.',
      toolCalls: [{ name: 'read_file', arguments: '{"path":"hello.txt"}' }],
    });

    const types = events.map((e) => e.type);
    expect(types[0]).toBe('turn.started');
    expect(types.at(-1)).toBe('turn.completed');
    expect(types.indexOf('tool.call')).toBeLessThan(types.indexOf('tool.result'));
    const call = events.find((e) => e.type === 'tool.call');
    expect(call).toMatchObject({ name: 'read_file', arguments: { path: 'hello.txt' } });
    const streamedAnswer = events
      .filter((e) => e.type === 'answer.delta')
      .map((e) => (e as { delta: string }).delta)
      .join('');
    expect(streamedAnswer).toBe(result.answer);
  });

  it("drops earlier turns' reasoning but keeps their answers", async () => {
    const steps = [...loadTurns('read-then-answer'), { reasoning: 'second turn thinking', answer: 'Sure.' }];
    const { backend, agent } = await setUp(steps);
    await agent.runTurn('What does hello.txt say?');
    await agent.runTurn('Thanks!');

    const third = backend.requests[2]!;
    const assistants = third.messages.filter((m) => m.role === 'assistant');
    expect(assistants).toHaveLength(2);
    for (const message of assistants) expect(message).not.toHaveProperty('reasoning');
    expect(assistants[1]).toMatchObject({ content: 'hello.txt says **hello world**.' });
    expect(third.messages.at(-1)).toEqual({ role: 'user', content: 'Thanks!' });
    // The full history (for the session log) still has it.
    expect(agent.history.filter((m) => m.role === 'assistant' && m.reasoning)).toHaveLength(3);
  });

  it('tells the model about an unknown tool and lists the real ones', async () => {
    const { backend, agent } = await setUp(loadTurns('unknown-tool'));
    const result = await agent.runTurn('read hello');
    expect(result.stopReason).toBe('answer');
    const [first] = toolMessages(backend.requests[1]!.messages);
    const names = defaultTools().map((tool) => tool.name);
    expect(first?.content).toBe(`There is no tool named "open_file". The tools are: ${names.join(', ')}.`);
    expect(names.slice(0, 4)).toEqual(['read_file', 'list_files', 'grep', 'symbols']);
  });

  it('returns schema and JSON errors the model can correct', async () => {
    // One try: arguments that are not JSON go straight back to the model as a tool error, not sampled again.
    const { backend, events, agent } = await setUp(loadTurns('invalid-arguments'), { generationTries: 1 });
    const result = await agent.runTurn('read hello');
    expect(result.stopReason).toBe('answer');
    const results = toolMessages(backend.requests[3]!.messages).map((m) => m.content);
    expect(results[0]).toMatch(/^Invalid arguments for read_file: missing required field "path"/);
    expect(results[0]).toContain('"start_line" must be integer');
    expect(results[1]).toMatch(/^The arguments of read_file are not valid JSON/);
    // "1" is coerced to 1: a harmless slip is not an error.
    expect(results[2]).toContain('hello world');
    const failed = events.filter((e) => e.type === 'tool.result' && !e.ok);
    expect(failed).toHaveLength(2);
  });

  it('refuses the third identical call in a row and tells the model to change approach', async () => {
    const { backend, agent } = await setUp(loadTurns('repeated-call'));
    await agent.runTurn('read hello');
    const results = toolMessages(backend.requests[3]!.messages).map((m) => m.content);
    expect(results[0]).toContain('hello world');
    expect(results[1]).toContain('hello world');
    expect(results[2]).toMatch(/exact read_file call 3 times in a row.*Change approach/s);
  });

  it("carries the user's rejection feedback back to the model and leaves the file alone", async () => {
    const approver: Approver = async () => ({ approved: false, feedback: 'Keep hello, it is the product name.' });
    const { repo, backend, events, agent } = await setUp(loadTurns('patch-rejected'), { approver });
    const result = await agent.runTurn('Change the greeting');

    expect(result.stopReason).toBe('answer');
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('hello world\n');
    const [toolMessage] = toolMessages(backend.requests[1]!.messages);
    expect(toolMessage?.content).toContain('Keep hello, it is the product name.');
    const requested = events.find((e) => e.type === 'approval.requested');
    expect(requested).toMatchObject({ request: { tool: 'apply_patch', kind: 'edit' } });
    expect((requested as { request: { diff: string } }).request.diff).toContain('+goodbye world');
    expect(events.find((e) => e.type === 'approval.decided')).toMatchObject({
      approved: false,
      by: 'user',
      feedback: 'Keep hello, it is the product name.',
    });
  });

  it('applies an approved patch', async () => {
    const { repo, agent } = await setUp(loadTurns('patch-rejected'));
    await agent.runTurn('Change the greeting');
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('goodbye world\n');
  });

  it('applies edits without asking in auto-edit mode', async () => {
    let asked = 0;
    const approver: Approver = async () => {
      asked++;
      return { approved: false };
    };
    const { repo, events, agent } = await setUp(loadTurns('patch-rejected'), { approver, approvalMode: 'auto-edit' });
    await agent.runTurn('Change the greeting');
    expect(asked).toBe(0);
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('goodbye world\n');
    expect(events.find((e) => e.type === 'approval.decided')).toMatchObject({ approved: true, by: 'policy' });
  });

  it('sends the reasoning effort set on the agent with the next generation', async () => {
    const { backend, agent } = await setUp([{ answer: 'one' }, { answer: 'two' }], { reasoningEffort: 'low' });
    await agent.runTurn('first');
    agent.reasoningEffort = 'high';
    await agent.runTurn('second');
    expect(backend.requests.map((request) => request.reasoningEffort)).toEqual(['low', 'high']);
  });

  it('compacts with the reasoning effort set on the agent since it was made', async () => {
    const { backend, agent } = await setUp([{ answer: 'one' }, { answer: 'The user said one thing.' }], {
      reasoningEffort: 'low',
    });
    await agent.runTurn('first');
    agent.reasoningEffort = 'high';
    expect((await agent.compact()).ok).toBe(true);
    expect(backend.requests.map((request) => request.reasoningEffort)).toEqual(['low', 'high']);
  });

  it('derives an agent for a flow of its own: own tools, prompt and conversation; the first one’s settings and rules', async () => {
    const parentChanges: string[] = [];
    const flowChanges: string[] = [];
    const { repo, backend, events, agent } = await setUp(
      [
        { answer: 'main' },
        {
          toolCalls: [
            {
              name: 'apply_patch',
              arguments: {
                input: '*** Begin Patch\n*** Update File: hello.txt\n@@\n-hello world\n+hello flow\n*** End Patch',
              },
            },
          ],
        },
        { answer: 'flow done' },
      ],
      { reasoningEffort: 'low', onChangesApplied: (set) => parentChanges.push(set.before[0]!.path) },
    );
    await agent.runTurn('first');
    const history = structuredClone(agent.history);
    const flow = agent.derive({
      tools: new ToolRegistry(defaultTools().filter((tool) => tool.name === 'apply_patch')),
      instructions: 'You change things.',
      onChangesApplied: (set) => flowChanges.push(set.before[0]!.path),
    });
    // Changed after deriving: the flow follows.
    agent.approvalMode = 'auto-edit';
    agent.reasoningEffort = 'high';
    const result = await flow.runTurn('change the greeting', undefined, { title: 'Changing the greeting' });

    expect(result.answer).toBe('flow done');
    const request = backend.requests[1]!;
    expect(request.instructions).toBe('You change things.');
    expect(request.tools.map((tool) => tool.name)).toEqual(['apply_patch']);
    expect(request.messages).toEqual([{ role: 'user', content: 'change the greeting' }]);
    expect(request.reasoningEffort).toBe('high');
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('hello flow\n');
    expect(events.find((e) => e.type === 'approval.decided')).toMatchObject({ approved: true, by: 'policy' });
    expect([parentChanges, flowChanges]).toEqual([['hello.txt'], ['hello.txt']]);
    expect(flow.rules).toBe(agent.rules);
    expect(agent.history).toEqual(history);
    expect(events.filter((e) => e.type === 'turn.started')).toEqual([
      { type: 'turn.started', turn: 1, prompt: 'first' },
      { type: 'turn.started', turn: 1, prompt: 'change the greeting', title: 'Changing the greeting' },
    ]);
  });

  it('a listener that throws on an applied patch neither hides the patch from the model nor the error from the user', async () => {
    const { repo, backend, events, agent } = await setUp(loadTurns('patch-rejected'), {
      onChangesApplied: () => {
        throw new Error('the listener broke');
      },
    });
    const result = await agent.runTurn('Change the greeting');

    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('goodbye world\n');
    const [toolMessage] = toolMessages(backend.requests[1]!.messages);
    expect(toolMessage?.content).not.toMatch(/failed|listener/);
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ name: 'apply_patch', ok: true });
    const notice = events.find((e) => e.type === 'model.notice');
    expect(notice).toMatchObject({
      message: expect.stringMatching(/^The change to hello\.txt was applied, but recording it failed/),
    });
    // The stack says where the bug is.
    expect(notice).toMatchObject({ message: expect.stringMatching(/Error: the listener broke\n\s+at /) });
    expect(result.stopReason).toBe('answer');
  });

  it('a derived agent tells its own listener of a change even when the first agent’s listener throws', async () => {
    const flowChanges: string[] = [];
    const { events, agent } = await setUp(loadTurns('patch-rejected'), {
      onChangesApplied: () => {
        throw new Error('the session listener broke');
      },
    });
    const flow = agent.derive({
      tools: new ToolRegistry(defaultTools()),
      instructions: 'You change things.',
      onChangesApplied: (set) => {
        flowChanges.push(set.before[0]!.path);
        throw new Error('the flow listener broke too');
      },
    });
    await flow.runTurn('Change the greeting');

    expect(flowChanges).toEqual(['hello.txt']);
    const notice = events.find((e) => e.type === 'model.notice');
    expect(notice).toMatchObject({ message: expect.stringContaining('Error: the session listener broke\n') });
    expect(notice).toMatchObject({ message: expect.stringContaining('Error: the flow listener broke too\n') });
  });

  it('denies an edit in a headless run and tells the model not to retry', async () => {
    const { repo, backend, agent } = await setUp(loadTurns('patch-rejected'), { approver: async () => 'headless' });
    await agent.runTurn('Change the greeting');
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('hello world\n');
    const [toolMessage] = toolMessages(backend.requests[1]!.messages);
    expect(toolMessage?.content).toMatch(/cannot ask the user for approval\. Do not retry it/);
  });

  it('stops cleanly when interrupted mid-stream, and the next turn works', async () => {
    const steps: ScriptedStep[] = [
      { reasoning: 'x'.repeat(2000), answer: 'never finished', chunkDelayMs: 2 },
      { answer: 'Second turn works.' },
    ];
    const { backend, events, agent } = await setUp(steps);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    const first = await agent.runTurn('think a lot', controller.signal);
    expect(first.stopReason).toBe('aborted');
    const reasoning = events.filter((e) => e.type === 'reasoning.delta');
    expect(reasoning.length).toBeGreaterThan(0);
    expect(reasoning.length).toBeLessThan(2000 / 7);

    const second = await agent.runTurn('again');
    expect(second).toMatchObject({ stopReason: 'answer', answer: 'Second turn works.' });
    // The interrupted turn left no dangling tool calls in what the model is sent.
    expect(backend.requests[1]!.messages.at(-1)).toEqual({ role: 'user', content: 'again' });
    // The model is told the turn before was cut short, not handed two prompts in a row.
    expect(backend.requests[1]!.messages.slice(-3)).toEqual([
      { role: 'user', content: 'think a lot' },
      { role: 'assistant', content: INTERRUPTED_NOTE },
      { role: 'user', content: 'again' },
    ]);
  });

  it('interrupting while an approval is pending denies it and ends the turn', async () => {
    const controller = new AbortController();
    const approver: Approver = () => {
      setTimeout(() => controller.abort(), 5);
      return new Promise(() => {});
    };
    const { repo, agent } = await setUp(loadTurns('patch-rejected'), { approver });
    const result = await agent.runTurn('Change the greeting', controller.signal);
    expect(result.stopReason).toBe('aborted');
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('hello world\n');
  });

  it('cuts a long tool output to the budget, keeping head and tail and saying how to see more', async () => {
    const steps: ScriptedStep[] = [
      { toolCalls: [{ name: 'read_file', arguments: { path: 'big.txt', start_line: 1, end_line: 300 } }] },
      { answer: 'ok' },
    ];
    const { repo, backend, events, agent } = await setUp(steps, { toolOutputTokens: 200 });
    repo.write('big.txt', Array.from({ length: 300 }, (_, i) => `line ${i + 1} of the big file`).join('\n'));
    await agent.runTurn('read big');
    const [toolMessage] = toolMessages(backend.requests[1]!.messages);
    const text = toolMessage!.content;
    expect(text).toContain('line 1 of the big file');
    expect(text).toContain('line 300 of the big file');
    expect(text).not.toContain('line 150 of the big file');
    expect(text).toMatch(/lines \(about \d+ tokens\) cut from the middle/);
    expect(text.length).toBeLessThan(200 * 3.5 + 200);
    expect(events.find((e) => e.type === 'tool.result')).toMatchObject({ truncated: true });
  });

  it('ends the turn when the tool-call budget is used up', async () => {
    const call = (n: number): ScriptedStep => ({
      toolCalls: [{ name: 'read_file', arguments: { path: 'hello.txt', start_line: 1, end_line: n } }],
    });
    const { backend, agent } = await setUp([call(1), call(2), call(3), { answer: 'unreachable' }], { maxSteps: 2 });
    const result = await agent.runTurn('loop');
    expect(result.stopReason).toBe('max_steps');
    expect(result.usage.toolCalls).toBe(2);
    // No generation after the budget is spent: the third scripted call is never asked for.
    expect(backend.remaining).toBe(2);
    // Every call the model made has a result, so the next turn's history is well-formed.
    expect(agent.history.at(-1)).toMatchObject({ role: 'tool', name: 'read_file' });
  });

  it('answers calls beyond the budget within one generation with a note, not by running them', async () => {
    const twoCalls: ScriptedStep = {
      toolCalls: [
        { name: 'read_file', arguments: { path: 'hello.txt' } },
        { name: 'list_files', arguments: {} },
      ],
    };
    const { events, agent } = await setUp([twoCalls, { answer: 'unreachable' }], { maxSteps: 1 });
    const result = await agent.runTurn('loop');
    expect(result.stopReason).toBe('max_steps');
    expect(events.filter((e) => e.type === 'tool.result')).toHaveLength(1);
    expect(agent.history.at(-1)).toMatchObject({
      role: 'tool',
      name: 'list_files',
      content: 'Not run: this turn has used its budget of 1 tool calls.',
    });
  });

  it('turns a backend failure into an error result and keeps the session usable', async () => {
    const steps: ScriptedStep[] = [{ error: 'the server went away' }, { answer: 'back again' }];
    const { events, agent } = await setUp(steps);
    const first = await agent.runTurn('hi');
    expect(first).toMatchObject({ stopReason: 'error', error: { message: 'the server went away' } });
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopReason: 'error' });
    expect(await agent.runTurn('hi again')).toMatchObject({ stopReason: 'answer', answer: 'back again' });
  });

  it('tells tools the paths the model has been working on, most recent first, failed calls left out', async () => {
    const seen: Array<readonly string[] | undefined> = [];
    const probe = defineTool<Record<string, never>>({
      name: 'probe',
      kind: 'read',
      description: 'Records what it is told.',
      parameters: { type: 'object', properties: {}, additionalProperties: false },
      describe: () => 'probe',
      async execute(_args, ctx) {
        seen.push(ctx.recentPaths);
        return { output: 'ok' };
      },
    });
    const patch = '*** Begin Patch\n*** Add File: src/new.ts\n+export const x = 1;\n*** End Patch';
    const steps: ScriptedStep[] = [
      { toolCalls: [{ name: 'probe', arguments: {} }] },
      { toolCalls: [{ name: 'read_file', arguments: { path: './hello.txt' } }] },
      { toolCalls: [{ name: 'read_file', arguments: { path: 'missing.txt' } }] },
      { toolCalls: [{ name: 'apply_patch', arguments: { input: patch } }] },
      { toolCalls: [{ name: 'grep', arguments: { pattern: 'export', path: 'src/' } }] },
      { toolCalls: [{ name: 'probe', arguments: {} }] },
      { answer: 'done' },
    ];
    const { agent } = await setUp(steps, { tools: new ToolRegistry([...defaultTools(), probe]) });
    await agent.runTurn('work');
    expect(seen).toEqual([[], ['src', 'src/new.ts', 'hello.txt']]);
  });

  it('a tool that throws becomes an error message, not a crash', async () => {
    const steps: ScriptedStep[] = [
      { toolCalls: [{ name: 'read_file', arguments: { path: '../outside.txt' } }] },
      { answer: 'ok' },
    ];
    const { backend, agent } = await setUp(steps);
    await agent.runTurn('read outside');
    const [toolMessage] = toolMessages(backend.requests[1]!.messages);
    expect(toolMessage?.content).toMatch(/outside the repository/);
    expect(toolMessage?.content).not.toMatch(/\n\s+at /);
  });

  it('a turn with a response schema offers no tools and sends the schema; other turns never send it', async () => {
    const schema = { type: 'object', properties: { findings: { type: 'array' } }, required: ['findings'] };
    const steps = [...loadTurns('read-then-answer'), { answer: '{"findings":[]}' }];
    const { backend, agent } = await setUp(steps);
    await agent.runTurn('What does hello.txt say?');
    const result = await agent.runTurn('Now as JSON.', undefined, { responseSchema: schema });
    expect(result).toMatchObject({ stopReason: 'answer', answer: '{"findings":[]}' });
    const [first, second, structured] = backend.requests;
    for (const request of [first!, second!]) {
      expect(request.responseSchema).toBeUndefined();
      expect(request.tools.length).toBeGreaterThan(0);
    }
    expect(structured!.responseSchema).toEqual(schema);
    expect(structured!.tools).toEqual([]);
    // The structured turn continues the same conversation.
    expect(structured!.messages.some((m) => m.role === 'tool')).toBe(true);
  });

  it('prepares the next turn with what its request will start with: the conversation, ended turns without reasoning', async () => {
    const prepared: NextRequest[] = [];
    const steps = [...loadTurns('read-then-answer'), { reasoning: 'second turn thinking', answer: 'Sure.' }];
    const { backend, agent } = await setUp(steps, { reasoningEffort: 'high' });
    // The scripted model gains the optional method; the loop looks for it on the backend it was given.
    (backend as ModelBackend).prepareNext = async (next: NextRequest) => {
      prepared.push(structuredClone(next));
      return { tokens: 0, reused: 0, evaluated: 0, complete: true };
    };
    const sent = (index: number) => {
      const { instructions, messages, tools, systemTools, reasoningEffort } = backend.requests[index]!;
      return { instructions, messages: messages.slice(0, -1), tools, systemTools, reasoningEffort };
    };
    await agent.prepareNext();
    await agent.runTurn('What does hello.txt say?');
    await agent.prepareNext();
    await agent.runTurn('Thanks!');
    expect(prepared).toHaveLength(2);
    expect(prepared[0]).toEqual({ ...sent(0), messages: [] });
    const second = sent(backend.requests.length - 1);
    expect(prepared[1]).toEqual(second);
    expect(second.messages.length).toBeGreaterThan(2);
    expect(prepared[1]!.messages.some((m) => m.role === 'assistant' && m.reasoning)).toBe(false);
  });

  it('prepares nothing with a backend that cannot', async () => {
    const { agent } = await setUp([]);
    expect(await agent.prepareNext()).toBeUndefined();
  });

  it('clearHistory starts the next turn afresh', async () => {
    const { backend, agent } = await setUp([{ answer: 'one' }, { answer: 'two' }]);
    await agent.runTurn('first');
    agent.clearHistory();
    await agent.runTurn('second');
    expect(backend.requests[1]!.messages).toEqual([{ role: 'user', content: 'second' }]);
  });
});
