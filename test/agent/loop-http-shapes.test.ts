// The loop on the real HTTP backend, a loopback server streaming real gpt-oss output
// shapes, and a real repository: the calls run, and nothing of harmony reaches the
// answer, the history or the events the terminal shows.
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleBackend } from '../../src/model/openai-compatible.js';
import { startChatServer, type ChatServer } from '../fixtures/chat-server.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { testAgent } from '../fixtures/test-agent.js';

const HARMONY = /<\||\|>|to=functions|assistantfinal|assistantcommentary|goodbye/;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** One server response streaming `fields` in 4-character pieces. */
function response(fields: { content?: string; reasoning_content?: string }, finish = 'stop') {
  const chunks: Array<Record<string, unknown>> = [];
  for (const [field, text] of Object.entries(fields)) {
    for (let i = 0; i < text.length; i += 4) chunks.push({ delta: { [field]: text.slice(i, i + 4) } });
  }
  return { chunks: [...chunks, { delta: {}, finish_reason: finish }] };
}

async function run(responses: Array<ReturnType<typeof response>>) {
  const repo: TempRepo = makeTempRepo({ 'hello.txt': 'hello world\n', 'b.txt': 'bee\n' });
  const server: ChatServer = await startChatServer(responses);
  const backend = new OpenAICompatibleBackend({ endpoint: server.url, model: 'gpt-oss-20b', maxAttempts: 1 });
  cleanups.push(
    () => repo.remove(),
    () => server.close(),
    () => backend.dispose(),
  );
  const { agent, events } = await testAgent(repo.root, backend);
  const result = await agent.runTurn('What do the files say?');
  const shown = events
    .flatMap((e) => (e.type === 'answer.delta' || e.type === 'preamble.delta' ? [e.delta] : []))
    .join('');
  expect(shown).not.toMatch(HARMONY);
  expect(result.answer).not.toMatch(HARMONY);
  expect(JSON.stringify(agent.history)).not.toMatch(HARMONY);
  const ran = events.flatMap((e) => (e.type === 'tool.result' ? [[e.name, e.ok, e.output.trim()]] : []));
  const notices = events.flatMap((e) => (e.type === 'model.notice' ? [e.message] : []));
  return { result, ran, notices, events, server };
}

const final = (text: string) => `<|start|>assistant<|channel|>final<|message|>${text}<|return|>`;

describe('the loop on gpt-oss output over HTTP', () => {
  it('5, 6: two calls run in order; the answer written before their results is dropped', async () => {
    const { result, ran } = await run([
      response({
        content:
          '<|channel|>analysis<|message|>Read both.<|end|>' +
          '<|start|>assistant to=functions.read_file<|channel|>commentary json<|message|>{"path":"hello.txt"}<|call|>' +
          '<|start|>assistant<|channel|>analysis to=functions.read_filejson<|message|>{"path":"b.txt"}<|end|>' +
          final('They say goodbye.'),
      }),
      response({ content: '<|channel|>final<|message|>hello.txt says hello world; b.txt says bee.' }),
    ]);
    expect(ran).toEqual([
      ['read_file', true, '1\thello world'],
      ['read_file', true, '1\tbee'],
    ]);
    expect(result).toMatchObject({ stopReason: 'answer', answer: 'hello.txt says hello world; b.txt says bee.' });
  });

  it('7: a server that strips the special tokens', async () => {
    const { result, ran } = await run([
      response({
        content: 'analysisNeed the file.assistantcommentary to=functions.read_file json{"path":"hello.txt"}',
      }),
      response({ content: 'analysisGot it.assistantfinalIt says hello world.' }),
    ]);
    expect(ran).toEqual([['read_file', true, '1\thello world']]);
    expect(result.answer).toBe('It says hello world.');
  });

  it('8: a call written as text in the final answer runs', async () => {
    const { result, ran, notices } = await run([
      response({ content: final('{"tool":"read_file","arguments":{"path":"hello.txt"}}') }),
      response({ content: final('Hello world.') }),
    ]);
    expect(ran).toEqual([['read_file', true, '1\thello world']]);
    expect(notices).toEqual(['The model wrote a read_file call as text in its answer; running it as a call.']);
    expect(result.answer).toBe('Hello world.');
  });

  it('8: a to=functions line in the final answer runs as the call', async () => {
    const { ran } = await run([
      response({ content: final('to=functions.read_file json{"path":"hello.txt"}') }),
      response({ content: final('Done.') }),
    ]);
    expect(ran).toEqual([['read_file', true, '1\thello world']]);
  });

  it('9: call arguments streamed as reasoning, with no call', async () => {
    const { ran } = await run([
      response({ reasoning_content: 'Open it at the top.{"path":"hello.txt","start_line":1}', content: '' }),
      response({ content: 'Done.' }),
    ]);
    expect(ran).toEqual([['read_file', true, '1\thello world']]);
  });

  it('debris that cannot be read is sampled again, never shown', async () => {
    const { result, notices, server } = await run([
      response({ content: final('Sure. to=functions.fetch_url json{"url":"x"}') }),
      response({ content: final('I cannot fetch URLs.') }),
    ]);
    expect(result.answer).toBe('I cannot fetch URLs.');
    expect(notices[0]).toMatch(/harmony format text that could not be read\); sampling it again/);
    expect(server.chatBodies).toHaveLength(2);
  });

  it('12: the same call in a loop, however its name is dressed, is refused the third time', async () => {
    const { ran } = await run([
      response({ content: '<|channel|>commentary to=functions.read_file json<|message|>{"path":"hello.txt"}<|call|>' }),
      response({ content: '<|start|>assistant to=read_file<|channel|>analysis<|message|>{"path": "hello.txt"}' }),
      response({ content: 'commentary to=functions.read_filejson{"path":"hello.txt"}' }),
      response({ content: final('It says hello world.') }),
    ]);
    expect(ran.map(([name, ok]) => [name, ok])).toEqual([
      ['read_file', true],
      ['read_file', true],
      ['read_file', false],
    ]);
    expect(ran[2]![2]).toMatch(/exact read_file call 3 times in a row/);
  });

  it('4: a call cut at the output length limit is sampled again', async () => {
    const { ran, notices } = await run([
      response({ content: '<|channel|>commentary to=functions.read_file json<|message|>{"path":"hel' }, 'length'),
      response({ content: '<|channel|>commentary to=functions.read_file json<|message|>{"path":"hello.txt"}' }),
      response({ content: final('Done.') }),
    ]);
    expect(ran).toEqual([['read_file', true, '1\thello world']]);
    expect(notices).toEqual([
      "The model's reply could not be used (the call to read_file was cut off at the output length limit); sampling it again (try 2 of 3).",
    ]);
  });
});
