// The loop against malformed and unusual generations, with the scripted model:
// a turn never ends in harmony text or in silence.
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentOptions } from '../../src/agent/loop.js';
import { ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
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
  const shown = () =>
    events.flatMap((e) => (e.type === 'answer.delta' || e.type === 'preamble.delta' ? [e.delta] : [])).join('');
  const notices = () => events.flatMap((e) => (e.type === 'model.notice' ? [e.message] : []));
  const results = () => events.flatMap((e) => (e.type === 'tool.result' ? [e] : []));
  return { backend, events, agent, shown, notices, results };
}

const readHello = { name: 'read_file', arguments: { path: 'hello.txt' } };

describe('the loop with malformed generations', () => {
  it('6: runs the call and drops a final answer written before its result, from view and history', async () => {
    const { agent, backend, shown, results } = await setUp([
      { toolCalls: [readHello], answerAfterCalls: 'It says goodbye.' },
      { answer: 'It says hello world.' },
    ]);
    const result = await agent.runTurn('What does hello.txt say?');
    expect(result).toMatchObject({ stopReason: 'answer', answer: 'It says hello world.' });
    expect(results().map((r) => r.ok)).toEqual([true]);
    expect(shown()).toBe('It says hello world.');
    expect(JSON.stringify(agent.history)).not.toContain('goodbye');
    expect(JSON.stringify(backend.requests[1]!.messages)).not.toContain('goodbye');
  });

  it('keeps answer text written before a call as the preamble, not as an answer', async () => {
    const { agent } = await setUp([{ answer: 'Let me look.', toolCalls: [readHello] }, { answer: 'Done.' }]);
    await agent.runTurn('look');
    expect(agent.history[1]).toMatchObject({ role: 'assistant', content: '', preamble: 'Let me look.' });
  });

  it('samples an empty generation again, says so, and leaves no trace of it', async () => {
    const { agent, backend, notices } = await setUp([{ reasoning: 'Hmm.' }, { answer: 'Hi.' }]);
    const result = await agent.runTurn('hi');
    expect(result).toMatchObject({ stopReason: 'answer', answer: 'Hi.' });
    expect(notices()).toEqual([
      "The model's reply could not be used (it gave no answer and called no tool); sampling it again (try 2 of 3).",
    ]);
    expect(backend.requests[1]!.messages).toEqual(backend.requests[0]!.messages);
    expect(agent.history.filter((m) => m.role === 'assistant')).toHaveLength(1);
    expect(result.usage.generations).toBe(2);
    expect(result.usage.malformedGenerations).toBe(1);
  });

  it('when the tries are spent, tells the model what went wrong, and it recovers', async () => {
    const { agent, backend, notices } = await setUp([{}, {}, { answer: 'Fine.' }], { generationTries: 2 });
    const result = await agent.runTurn('hi');
    expect(result).toMatchObject({ stopReason: 'answer', answer: 'Fine.' });
    const correction = backend.requests[2]!.messages.at(-1);
    expect(correction).toMatchObject({ role: 'user' });
    expect(correction?.role === 'user' && correction.content).toMatch(
      /^\[Automatic note from the agent, not from the user\] Your last message could not be used: it gave no answer/,
    );
    expect(notices().at(-1)).toBe(
      "The model's reply could not be used (it gave no answer and called no tool); telling it.",
    );
    // Both tries count, the one sampled again and the one the model was told about.
    expect(result.usage).toMatchObject({ generations: 3, malformedGenerations: 2 });
  });

  it('never ends in silence: after the correction fails too, the turn ends with an error that says why', async () => {
    const { agent, backend, events } = await setUp([{}, {}, {}, {}, { answer: 'unused' }], { generationTries: 2 });
    const result = await agent.runTurn('hi');
    expect(result.stopReason).toBe('error');
    expect(result.error?.message).toBe(
      'The model gave no usable reply (it gave no answer and called no tool), even after being told.',
    );
    expect(result.error?.hint).toMatch(/Ask again/);
    expect(backend.remaining).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopReason: 'error' });
  });

  it('samples a call whose arguments are not JSON again', async () => {
    const { agent, notices, results } = await setUp([
      { toolCalls: [{ name: 'read_file', arguments: '{"path": "hello.txt"' }] },
      { toolCalls: [readHello] },
      { answer: 'Read.' },
    ]);
    const result = await agent.runTurn('read');
    expect(result.answer).toBe('Read.');
    expect(results().map((r) => [r.ok, r.output.includes('hello world')])).toEqual([[true, true]]);
    expect(notices()[0]).toMatch(/the arguments of read_file are not valid JSON\); sampling it again \(try 2 of 3\)/);
    expect(result.usage).toMatchObject({ generations: 3, malformedGenerations: 1, toolCalls: 1 });
  });

  it('samples a call cut at the output length limit again; when the tries are spent the tool result says so', async () => {
    const cut: ScriptedStep = { toolCalls: [{ name: 'read_file', arguments: '{"path": "hel' }], stopReason: 'length' };
    const { agent, notices, results } = await setUp([cut, cut, { answer: 'Gave up.' }], { generationTries: 2 });
    const result = await agent.runTurn('read');
    expect(result.answer).toBe('Gave up.');
    expect(notices()).toEqual([
      "The model's reply could not be used (the call to read_file was cut off at the output length limit); sampling it again (try 2 of 2).",
      "The model's reply could not be used (the call to read_file was cut off at the output length limit); the tool result tells it.",
    ]);
    expect(results()).toHaveLength(1);
    expect(results()[0]!.output).toMatch(/^The arguments of read_file are not valid JSON/);
  });

  it('never shows or keeps harmony debris in an answer: it samples again', async () => {
    const { agent, shown } = await setUp([
      { answer: 'Checking. to=functions.read_file {"path":"hello.txt"} done' },
      { answer: 'It says hello world.' },
    ]);
    const result = await agent.runTurn('read');
    expect(result.answer).toBe('It says hello world.');
    expect(shown()).not.toMatch(/to=functions/);
    expect(JSON.stringify(agent.history)).not.toMatch(/to=functions/);
  });

  it('cuts harmony debris out of a preamble: never shown, never kept', async () => {
    const { agent, shown } = await setUp([
      { preamble: 'Reading the file.<|constrain|>json', toolCalls: [readHello] },
      { answer: 'Done.' },
    ]);
    await agent.runTurn('read');
    expect(shown()).toBe('Reading the file.Done.');
    expect(agent.history[1]).toMatchObject({ role: 'assistant', preamble: 'Reading the file.' });
  });

  it('8: runs a call written as the whole answer, which is never shown as the answer', async () => {
    const { agent, shown, notices, results } = await setUp([
      { answer: '{"tool": "functions.read_file", "arguments": {"path": "hello.txt"}}' },
      { answer: 'It says hello world.' },
    ]);
    const result = await agent.runTurn('read');
    expect(result.answer).toBe('It says hello world.');
    expect(results()[0]).toMatchObject({ name: 'read_file', ok: true });
    expect(shown()).toBe('It says hello world.');
    expect(notices()).toEqual(['The model wrote a read_file call as text in its answer; running it as a call.']);
  });

  it('shows an answer that is JSON but names no tool as it is', async () => {
    const { agent, shown } = await setUp([{ answer: '{"read_file": "hello.txt"}' }]);
    const result = await agent.runTurn('json please');
    expect(result.answer).toBe('{"read_file": "hello.txt"}');
    expect(shown()).toBe(result.answer);
  });

  it('9: recovers a call whose arguments came as reasoning when only one tool fits them', async () => {
    const { agent, results, notices } = await setUp([
      { reasoning: 'Read it from the top.{"path":"hello.txt","start_line":1}' },
      { answer: 'Done.' },
    ]);
    await agent.runTurn('read');
    expect(results()[0]).toMatchObject({ name: 'read_file', ok: true });
    expect(notices()).toEqual(['The model wrote a read_file call as text in its reasoning; running it as a call.']);
  });

  it('9: does not guess when several tools fit the arguments in the reasoning', async () => {
    // {"path"} fits read_file and list_files: the generation is empty and sampled again.
    const { agent, results, notices } = await setUp([{ reasoning: 'Look at {"path":"hello.txt"}' }, { answer: 'Ok.' }]);
    const result = await agent.runTurn('read');
    expect(result.answer).toBe('Ok.');
    expect(results()).toEqual([]);
    expect(notices()[0]).toMatch(/sampling it again/);
  });

  it('does not re-sample an answer cut at the length limit, nor touch a JSON answer a schema asked for', async () => {
    const { agent } = await setUp([{ answer: 'A long answer that', stopReason: 'length' }, { answer: '{"ok": true}' }]);
    expect((await agent.runTurn('long')).answer).toBe('A long answer that');
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
    expect((await agent.runTurn('json', undefined, { responseSchema: schema })).answer).toBe('{"ok": true}');
  });
});
