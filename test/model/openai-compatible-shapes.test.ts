// Real gpt-oss output shapes through the HTTP backend and a loopback server: raw
// harmony leaked into `content`, tokens stripped, debris in server-parsed names.
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleBackend } from '../../src/model/openai-compatible.js';
import { startChatServer, type ChatServer } from '../fixtures/chat-server.js';
import { collect, userRequest } from './model-events.js';

const schema = { type: 'object', properties: { path: { type: 'string' } } };
const tools = ['read_file', 'list_files'].map((name) => ({ name, description: name, parameters: schema }));
const systemTools = [{ name: 'container', tools: [{ name: 'exec', description: 'run', parameters: schema }] }];

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Streams `fields` (content / reasoning_content text) in `size`-character pieces, then the finish. */
function chunks(fields: { content?: string; reasoning_content?: string }, size = 3, finish = 'stop') {
  const out: Array<Record<string, unknown>> = [];
  for (const [field, text] of Object.entries(fields)) {
    for (let i = 0; i < text.length; i += size) out.push({ delta: { [field]: text.slice(i, i + size) } });
  }
  return [...out, { delta: {}, finish_reason: finish }];
}

async function generate(script: Array<Record<string, unknown>>) {
  server = await startChatServer([{ chunks: script }]);
  const backend = new OpenAICompatibleBackend({ endpoint: server.url, model: 'gpt-oss-20b' });
  const result = await collect(backend.generate(userRequest('go', { tools, systemTools })));
  for (const shown of [result.reasoning, result.preamble, result.answer]) {
    expect(shown).not.toMatch(/<\||\|>|to=functions|assistantfinal|assistantcommentary/);
  }
  return result;
}

describe('gpt-oss output shapes over HTTP', () => {
  it('1, 2: recipient in the role header, after <|constrain|>, and glued to json', async () => {
    const result = await generate(
      chunks({
        content:
          '<|start|>assistant to=functions.read_file<|channel|>commentary json<|message|>{"path":"a"}<|call|>' +
          '<|start|>assistant<|channel|>commentary<|constrain|> to=functions.list_files json<|message|>{"path":"b"}<|call|>' +
          '<|start|>assistant<|channel|>commentary to=container.execjson<|message|>{"path":"c"}<|call|>',
      }),
    );
    expect(result.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['read_file', '{"path":"a"}'],
      ['list_files', '{"path":"b"}'],
      ['container.exec', '{"path":"c"}'],
    ]);
    expect(result.end.stopReason).toBe('tool_call');
  });

  it('4: a call ended by <|return|>, and one the stream cut before <|call|>', async () => {
    for (const ending of ['<|return|>', '']) {
      const result = await generate(
        chunks({ content: `<|channel|>analysis to=functions.read_file code<|message|>{"path":"a"}${ending}` }),
      );
      expect(result.toolCalls.map((c) => c.name)).toEqual(['read_file']);
      await server?.close();
      server = undefined;
    }
  });

  it('7: harmony with its special tokens stripped, in content and in reasoning', async () => {
    const answered = await generate(chunks({ content: 'analysisThe user greets.assistantfinalHello!' }));
    expect([answered.reasoning, answered.answer, answered.toolCalls]).toEqual(['The user greets.', 'Hello!', []]);
    await server?.close();
    const called = await generate(
      chunks({
        reasoning_content: 'Need the file.assistantcommentary to=functions.read_file json{"path":"a"}',
        content: '',
      }),
    );
    expect(called.reasoning).toBe('Need the file.');
    expect(called.toolCalls.map((c) => [c.name, c.arguments])).toEqual([['read_file', '{"path":"a"}']]);
    expect(called.end.stopReason).toBe('tool_call');
  });

  it('7: an ordinary answer that starts with a channel word is left alone', async () => {
    const text = 'analysis of the diff: the commentary is {"fine": true}';
    const result = await generate(chunks({ content: text }));
    expect(result.answer).toBe(text);
    expect(result.toolCalls).toEqual([]);
  });

  it('10, 11: harmony debris in a server-parsed call name, and a call with no arguments', async () => {
    const result = await generate([
      {
        delta: {
          tool_calls: [
            { index: 0, id: 'a', function: { name: 'read_file<|channel|>commentary', arguments: '{"path":"x"}' } },
          ],
        },
      },
      { delta: { tool_calls: [{ index: 1, id: 'b', function: { name: 'functions.list_files json' } }] } },
      { delta: {}, finish_reason: 'tool_calls' },
    ]);
    expect(result.toolCalls.map((c) => [c.id, c.name, c.arguments])).toEqual([
      ['a', 'read_file', '{"path":"x"}'],
      ['b', 'list_files', '{}'],
    ]);
  });
});
