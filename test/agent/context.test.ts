import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compactedConversation } from '../../src/agent/compaction.js';
import { ContextKeeper, DEFAULT_CONTEXT_SIZE } from '../../src/agent/context.js';
import type { AgentOptions } from '../../src/agent/loop.js';
import { tokenCounterFor } from '../../src/agent/token-count.js';
import type { BackendStatus, ChatMessage } from '../../src/model/backend.js';
import { promptText } from '../../tools/package/files.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { testAgent } from '../fixtures/test-agent.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

/** Four characters a token: round numbers for thresholds. */
const countTokens = async (text: string) => Math.ceil(text.length / 4);
const bigFile = (tag: string) => Array.from({ length: 100 }, (_, i) => `${tag} line ${i} ${'x'.repeat(24)}`).join('\n');
const read = (file: string, reasoning?: string): ScriptedStep => ({
  ...(reasoning ? { reasoning } : {}),
  toolCalls: [{ name: 'read_file', arguments: { path: file } }],
});
const TASK = 'Fix the failing test in parser.test.ts; keep the public API unchanged.';
const SUMMARY = '## Task\nFix the parser test, public API unchanged.\n\n## Next\nPatch src/parser.ts';

async function setUp(steps: ScriptedStep[], options: Partial<AgentOptions> = {}) {
  const repo = makeTempRepo({
    'hello.txt': 'hello world\n',
    'a.txt': bigFile('a'),
    'b.txt': bigFile('b'),
    'c.txt': bigFile('c'),
  });
  repos.push(repo);
  const backend = new ScriptedBackend(steps);
  const { agent, events } = await testAgent(repo.root, backend, {
    // The thresholds below count these tools' definitions: the ones that read and edit, not the command tools
    // (nor symbols, which came later).
    tools: new ToolRegistry(defaultTools().filter((tool) => tool.kind !== 'exec' && tool.name !== 'symbols')),
    context: { contextSize: 4000, countTokens },
    ...options,
  });
  return { backend, events, agent };
}

const toolContents = (messages: readonly ChatMessage[]) =>
  messages.flatMap((m) => (m.role === 'tool' ? [m.content] : []));

describe('context near the limit', () => {
  it('elides older tool outputs first, keeping the newest, and does not compact when that is enough', async () => {
    const { backend, events, agent } = await setUp([read('a.txt'), read('b.txt'), read('c.txt'), { answer: 'done' }]);
    const result = await agent.runTurn('read a, b and c');
    expect(result).toMatchObject({ stopReason: 'answer', answer: 'done' });

    const [a, b, c] = toolContents(backend.requests[3]!.messages);
    expect(a).toMatch(/^\[Elided to save context: this read_file output \(about \d+ tokens\) began ".*a line 0/);
    expect(b).toMatch(/^\[Elided to save context:/);
    expect(c).toContain('c line 99');
    expect(events.find((e) => e.type === 'context.elided')).toMatchObject({ toolOutputs: 2 });
    expect(events.some((e) => e.type === 'context.compacting')).toBe(false);
    // The agent's history (and so the session log) keeps the elided form.
    expect(toolContents(agent.history)[0]).toMatch(/^\[Elided/);
  });

  it('compacts when eliding is not enough, keeps the task word for word, and carries on without asking', async () => {
    const steps: ScriptedStep[] = [
      { answer: 'Hello.' },
      read('a.txt', 'r'.repeat(6000)),
      { answer: SUMMARY },
      read('hello.txt', 'Continuing from the summary: patch the parser next.'),
      { answer: 'Fixed it.' },
    ];
    const { backend, events, agent } = await setUp(steps);
    await agent.runTurn('hi');
    const result = await agent.runTurn(TASK);
    expect(result).toMatchObject({ stopReason: 'answer', answer: 'Fixed it.' });

    // The summary request is the conversation as it was sent, plus the instruction to summarise; here it would
    // not leave room for the summary in the window, so the long reasoning and output are cut for it.
    const summaryRequest = backend.requests[2]!;
    expect(summaryRequest.messages.slice(0, -1)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: TASK },
      expect.objectContaining({ role: 'assistant', reasoning: expect.stringMatching(/^r+\n\[… \d+ characters cut/) }),
      expect.objectContaining({ role: 'tool', name: 'read_file', content: expect.stringContaining('a line 0') }),
    ]);
    const sent = summaryRequest.messages.map((m) => JSON.stringify(m)).join('');
    expect(await countTokens(sent)).toBeLessThan(4000 - 1000);
    expect(summaryRequest.messages.at(-1)).toEqual({ role: 'user', content: promptText('compact.md') });
    expect(summaryRequest.tools).toEqual(backend.requests[1]!.tools);

    // Then the conversation is one message: the summary and the user's request, verbatim.
    const after = backend.requests[3]!.messages;
    expect(after).toHaveLength(1);
    expect(after[0]!.role).toBe('user');
    expect(after[0]!.content).toContain(SUMMARY);
    expect(after[0]!.content).toContain(`[The user's latest request, in their words:]\n${TASK}`);
    expect(after[0]!.content).toMatch(/without asking the user to repeat anything/);
    // The reasoning of the turn after compaction is still sent between its tool calls.
    expect(backend.requests[4]!.messages[1]).toMatchObject({ role: 'assistant', reasoning: /Continuing/ });

    const compacted = events.find((e) => e.type === 'context.compacted');
    expect(compacted).toMatchObject({ trigger: 'auto', summary: SUMMARY });
    expect(events.findIndex((e) => e.type === 'context.compacting')).toBeLessThan(events.indexOf(compacted!));
    // Nothing of the summary generation reached the user as an answer.
    const answer = events.flatMap((e) => (e.type === 'answer.delta' ? [e.delta] : [])).join('');
    expect(answer).toBe('Hello.Fixed it.');
  });

  it('goes on near the limit when the summary fails, and says so', async () => {
    const steps: ScriptedStep[] = [read('a.txt', 'r'.repeat(6000)), { error: 'server fell over' }, { answer: 'ok' }];
    const { events, agent } = await setUp(steps);
    expect(await agent.runTurn(TASK)).toMatchObject({ stopReason: 'answer', answer: 'ok' });
    expect(events.find((e) => e.type === 'context.compaction_failed')).toMatchObject({
      trigger: 'auto',
      message: 'server fell over',
    });
    expect(agent.history[0]).toEqual({ role: 'user', content: TASK });
  });

  it('compacts on demand (/compact), and the next turn starts from the summary', async () => {
    const { backend, events, agent } = await setUp([{ answer: 'Hi.' }, { answer: SUMMARY }, { answer: 'Next.' }], {
      context: { countTokens },
    });
    await agent.runTurn(TASK);
    const result = await agent.compact();
    expect(result).toMatchObject({ ok: true });
    expect(agent.history).toHaveLength(1);
    expect(events.find((e) => e.type === 'context.compacted')).toMatchObject({ trigger: 'manual' });

    await agent.runTurn('And now the docs.');
    const sent = backend.requests[2]!.messages;
    expect(sent.map((m) => m.role)).toEqual(['user', 'user']);
    expect(sent[0]!.content).toContain(TASK);
    expect(sent[1]).toEqual({ role: 'user', content: 'And now the docs.' });
  });

  it('reports the context used after each generation', async () => {
    const { events, agent } = await setUp([
      { answer: 'Hi.', usage: { promptTokens: 300, cachedPromptTokens: 700, outputTokens: 20 } },
    ]);
    await agent.runTurn('hi');
    expect(events.find((e) => e.type === 'context.usage')).toEqual({
      type: 'context.usage',
      usedTokens: 1020,
      contextSize: 4000,
    });
    expect((await agent.contextUsage()).contextSize).toBe(4000);
  });
});

describe('oversized messages', () => {
  const requestTokens = (request: { messages: readonly ChatMessage[] }) =>
    countTokens(request.messages.map((m) => JSON.stringify(m)).join(''));

  it('keeps a cut copy of a huge tool call, while the call itself runs with all of it', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `+row ${i}`);
    const input = ['*** Begin Patch', '*** Add File: big.txt', ...lines, '*** End Patch'].join('\n');
    const { backend, agent } = await setUp([
      { toolCalls: [{ name: 'apply_patch', arguments: { input } }] },
      { answer: 'Written.' },
    ]);
    expect(await agent.runTurn('write big.txt')).toMatchObject({ stopReason: 'answer', answer: 'Written.' });
    const repo = repos.at(-1)!;
    expect(readFileSync(path.join(repo.root, 'big.txt'), 'utf8')).toBe(lines.map((l) => l.slice(1)).join('\n') + '\n');

    const kept = agent.history.find((m) => m.role === 'assistant' && m.toolCalls)!;
    const args = JSON.parse((kept as { toolCalls: { arguments: string }[] }).toolCalls[0]!.arguments) as {
      input: string;
    };
    expect(args.input).toMatch(/^\*\*\* Begin Patch\n\*\*\* Add File: big\.txt\n\+row 0\n/);
    expect(args.input).toMatch(
      /cut from the middle; cut when it was kept in the conversation; the call ran with all of it/,
    );
    expect(args.input.endsWith('+row 2999\n*** End Patch')).toBe(true);
    expect(await requestTokens(backend.requests[1]!)).toBeLessThan(4000);
  });

  it('keeps a cut copy of a user message longer than the window, saying so', async () => {
    const { backend, agent } = await setUp([{ answer: 'ok' }]);
    const pasted = Array.from({ length: 5000 }, (_, i) => `log line ${i}`).join('\n');
    await agent.runTurn(pasted);
    const sent = backend.requests[0]!.messages[0]!.content;
    expect(sent).toMatch(/^log line 0\n/);
    expect(sent).toMatch(
      /cut from the middle; the message was too long to keep whole; ask the user for the part you need/,
    );
    expect(sent.endsWith('log line 4999')).toBe(true);
    expect(await requestTokens(backend.requests[0]!)).toBeLessThan(4000);
  });

  it('caps a saved conversation when it is resumed, and compaction fits its request into the window', async () => {
    // As an older version saved it: one huge message and many ordinary ones, far more than the window.
    const history: ChatMessage[] = [{ role: 'user', content: 'x'.repeat(200_000) }];
    for (let i = 0; i < 40; i++) {
      history.push({ role: 'user', content: `question ${i} ${'q'.repeat(600)}` });
      history.push({ role: 'assistant', content: `answer ${i} ${'a'.repeat(600)}` });
    }
    const logged: unknown[] = [];
    const { backend, events, agent } = await setUp([{ answer: SUMMARY }, { answer: 'Carrying on.' }], {
      history,
      onHistoryChange: (change) => logged.push(change),
    });
    // The cut copy is logged, so the session resumes capped next time too.
    expect(logged[0]).toMatchObject({ op: 'replace', index: 0, message: { role: 'user' } });
    expect(agent.history[0]!.content.length).toBeLessThan(10_000);

    expect(await agent.runTurn('go on')).toMatchObject({ stopReason: 'answer', answer: 'Carrying on.' });
    expect(events.find((e) => e.type === 'context.compacted')).toBeDefined();
    for (const request of backend.requests) expect(await requestTokens(request)).toBeLessThan(4000 - 1000);
    const summaryInput = backend.requests[0]!.messages;
    expect(summaryInput[0]!.content).toMatch(/^\[\d+ earlier message\(s\) of this conversation were left out here/);
    expect(summaryInput.at(-2)).toEqual({ role: 'user', content: 'go on' });
  });
});

describe('the output limit of a generation', () => {
  it('is what the window has left, at most the configured limit', async () => {
    const open = await setUp([{ answer: 'ok' }, { answer: 'ok' }]);
    await open.agent.runTurn('hi');
    const left = open.backend.requests[0]!.maxOutputTokens!;
    const used = (await open.agent.contextUsage()).usedTokens;
    expect(left).toBeLessThan(4000 - used);
    expect(left).toBeGreaterThan(4000 - used - 200);

    const capped = await setUp([{ answer: 'ok' }], { maxOutputTokens: 100 });
    await capped.agent.runTurn('hi');
    expect(capped.backend.requests[0]!.maxOutputTokens).toBe(100);
  });
});

describe('compaction message', () => {
  const limits = { summaryTokens: 8192, messageTokens: 65_536 };

  it('keeps the original request when a compacted conversation is compacted again', () => {
    const first = compactedConversation('first summary', [{ role: 'user', content: TASK }], limits).messages;
    const second = compactedConversation(
      'second summary',
      [...first, { role: 'assistant', content: 'working' }],
      limits,
    ).messages;
    expect(second[0]!.content).toContain('second summary');
    expect(second[0]!.content).not.toContain('first summary');
    expect(second[0]!.content.endsWith(`in their words:]\n${TASK}`)).toBe(true);
  });
});

describe('a summary longer than the model was asked for', () => {
  /** What a backend that ignores maxOutputTokens writes: far more than the window. */
  const hugeSummary = Array.from({ length: 20_000 }, (_, i) => `summary line ${i} ${'s'.repeat(20)}`).join('\n');

  it('is cut, saying so, and the compacted conversation and the next request fit the window', async () => {
    const steps: ScriptedStep[] = [
      read('a.txt', 'r'.repeat(6000)),
      { answer: hugeSummary },
      read('hello.txt', 'Carrying on.'),
      { answer: 'Fixed it.' },
    ];
    const { backend, events, agent } = await setUp(steps);
    expect(await agent.runTurn(TASK)).toMatchObject({ stopReason: 'answer', answer: 'Fixed it.' });
    // The summary was asked for within a quarter of the window; the scripted model wrote about 170,000 tokens.
    expect(backend.requests[1]!.maxOutputTokens).toBe(1000);

    const kept = backend.requests[2]!.messages[0]!.content;
    expect(kept).toMatch(/^\[The earlier conversation was compacted/);
    expect(kept).toContain('summary line 0 ');
    expect(kept).toContain('summary line 19999 ');
    expect(kept).toMatch(/cut from the middle; the summary was longer than the conversation may keep/);
    expect(kept.endsWith(`in their words:]\n${TASK}`)).toBe(true);
    // One message keeps at most half the window, so the compaction left room to work in.
    expect(await countTokens(kept)).toBeLessThanOrEqual(2000);
    for (const request of backend.requests.slice(2)) {
      expect(await countTokens(request.messages.map((m) => JSON.stringify(m)).join(''))).toBeLessThan(4000 - 1000);
    }
    const compacted = events.find((e) => e.type === 'context.compacted');
    expect(compacted).toMatchObject({ trigger: 'auto', summary: expect.stringContaining('the summary was longer') });
    if (compacted?.type !== 'context.compacted') throw new Error('no compaction');
    expect(compacted.tokensAfter).toBeLessThan(compacted.tokensBefore);
    expect(compacted.summary.length).toBeLessThan(kept.length);
    expect(events.filter((e) => e.type === 'context.compacting')).toHaveLength(1);
  });

  it('is cut to the share of the window that the tokenizer counts, when text costs more than the estimate', async () => {
    // One token a character, where the estimate counts 3.5: a cut by the estimate alone would keep too much.
    const { agent } = await setUp([{ answer: 'Hi.' }, { answer: 'x'.repeat(100_000) }], {
      context: { contextSize: 40_000, countTokens: async (text: string) => text.length },
    });
    await agent.runTurn(TASK);
    expect(await agent.compact()).toMatchObject({ ok: true });
    expect(agent.history).toHaveLength(1);
    const kept = agent.history[0]!.content;
    expect(kept.length).toBeLessThanOrEqual(20_000);
    expect(kept.length).toBeGreaterThan(10_000);
    expect(kept).toMatch(/characters cut; the summary was longer than the conversation may keep/);
    expect(kept).toContain(TASK);
  });
});

describe('the context window and token counts', () => {
  const keeper = (contextSize: number | undefined, status?: BackendStatus) => {
    const backend = new ScriptedBackend([]);
    if (status) Object.assign(backend, { status: () => status });
    return new ContextKeeper({
      backend,
      instructions: '',
      emit: () => {},
      ...(contextSize ? { contextSize } : {}),
    });
  };

  it('takes the configured size, else what the backend reports, else gpt-oss’s full context', () => {
    expect(keeper(8192, { state: 'ready', contextSize: 32768 }).contextSize()).toBe(8192);
    expect(keeper(undefined, { state: 'ready', contextSize: 32768 }).contextSize()).toBe(32768);
    const fromUsage = keeper(undefined);
    expect(fromUsage.contextSize()).toBe(DEFAULT_CONTEXT_SIZE);
    fromUsage.noteGeneration({ promptTokens: 1, outputTokens: 1, contextSize: 16384 }, [], 0);
    expect(fromUsage.contextSize()).toBe(16384);
    expect(fromUsage.limit()).toBe(Math.floor(16384 * 0.8));
  });

  it("counts with the backend's own tokenizer when it has one, else o200k_harmony", async () => {
    const backend = new ScriptedBackend([]);
    expect(await tokenCounterFor(backend)('hello world')).toBe(2);
    // Text that looks like a special token is counted as text, not refused.
    expect(await tokenCounterFor(backend)('a <|end|> b')).toBeGreaterThan(3);
    Object.assign(backend, { countTokens: async (text: string) => text.length * 100 });
    expect(await tokenCounterFor(backend)('hello')).toBe(500);
  });
});
