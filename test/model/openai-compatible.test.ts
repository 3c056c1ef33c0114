// The OpenAI-compatible backend against a real loopback HTTP server:
// streaming, reasoning fields, tool calls, leaked harmony, usage, discovery.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/model/backend.js';
import { OpenAICompatibleBackend, type OpenAICompatibleOptions } from '../../src/model/openai-compatible.js';
import { startChatServer, type ChatFlavour, type ChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { collect, userRequest } from './model-events.js';

const tools = [
  {
    name: 'read_file',
    description: 'Read a file',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
];

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(
  script: ScriptedResponse[],
  options: Partial<OpenAICompatibleOptions> = {},
  serverOptions: Parameters<typeof startChatServer>[1] = {},
) {
  server = await startChatServer(script, serverOptions);
  const backend = new OpenAICompatibleBackend({ endpoint: server.url, model: 'gpt-oss-20b', ...options });
  return { server, backend };
}

describe('OpenAICompatibleBackend streaming', () => {
  it('streams reasoning_content and content, and sends a well-formed request', async () => {
    const { server, backend } = await setup([
      { step: { reasoning: 'The user greets me.', answer: 'Hello there!' }, flavour: 'reasoning_content' },
    ]);
    const result = await collect(backend.generate(userRequest('hi', { tools, reasoningEffort: 'low' })));

    expect(result.reasoning).toBe('The user greets me.');
    expect(result.answer).toBe('Hello there!');
    expect(result.events.filter((e) => e.type === 'answer').length).toBe(3); // streamed, not buffered
    expect(result.end).toEqual({
      type: 'end',
      stopReason: 'stop',
      usage: expect.objectContaining({ promptTokens: 10, outputTokens: 5 }),
    });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/chat/completions']);
    expect(server.chatBodies[0]).toEqual({
      model: 'gpt-oss-20b',
      messages: [
        { role: 'system', content: 'You are a coding agent.' },
        { role: 'user', content: 'hi' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: tools[0] }],
      reasoning_effort: 'low',
      chat_template_kwargs: { reasoning_effort: 'low' },
      temperature: 1,
      top_p: 1,
    });
    expect(backend.description).toEqual({ kind: 'openai-compatible', model: 'gpt-oss-20b', endpoint: server.url });
  });

  it.each([
    ['reasoning_content', 'reasoning_content'],
    ['reasoning', 'reasoning'],
  ] as const)(
    'echoes reasoning streamed as %s back in %s, and sends only what the loop gives',
    async (flavour, field) => {
      const { server, backend } = await setup([
        {
          flavour,
          step: {
            reasoning: 'Need to read a.ts first.',
            toolCalls: [{ id: 'call_a', name: 'read_file', arguments: { path: 'a.ts' } }],
          },
        },
        { flavour, step: { reasoning: 'Now I know.', answer: 'a.ts exports f.' } },
      ]);
      const earlierTurn: ChatMessage[] = [
        { role: 'user', content: 'What is this repo?' },
        // The loop removed this finished turn's reasoning; the backend must not invent any.
        { role: 'assistant', content: 'A small library.' },
      ];
      const first = await collect(
        backend.generate({
          instructions: 'sys',
          messages: [...earlierTurn, { role: 'user', content: 'Explain a.ts' }],
          tools,
        }),
      );
      expect(first.reasoning).toBe('Need to read a.ts first.');
      expect(first.toolCalls).toEqual([{ id: 'call_a', name: 'read_file', arguments: '{"path":"a.ts"}' }]);
      expect(first.end.stopReason).toBe('tool_call');

      const messages: ChatMessage[] = [
        ...earlierTurn,
        { role: 'user', content: 'Explain a.ts' },
        { role: 'assistant', content: first.answer, reasoning: first.reasoning, toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_a', name: 'read_file', content: '1: export function f() {}' },
      ];
      const second = await collect(backend.generate({ instructions: 'sys', messages, tools }));
      expect(second.answer).toBe('a.ts exports f.');

      expect(server.chatBodies[1].messages).toEqual([
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'What is this repo?' },
        { role: 'assistant', content: 'A small library.' },
        { role: 'user', content: 'Explain a.ts' },
        {
          role: 'assistant',
          content: '',
          [field]: 'Need to read a.ts first.',
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', name: 'read_file', content: '1: export function f() {}' },
      ]);
    },
  );

  it('defaults to reasoning_content before a server has streamed any reasoning', async () => {
    const { server, backend } = await setup([{ step: { answer: 'ok' } }]);
    await collect(
      backend.generate({
        instructions: '',
        messages: [
          {
            role: 'assistant',
            content: '',
            reasoning: 'r',
            toolCalls: [{ id: 'x', name: 'read_file', arguments: '{}' }],
          },
        ],
        tools: [],
      }),
    );
    expect(server.chatBodies[0].messages[0]).toEqual({
      role: 'assistant',
      content: '',
      reasoning_content: 'r',
      tool_calls: [{ id: 'x', type: 'function', function: { name: 'read_file', arguments: '{}' } }],
    });
  });

  it('uses only `reasoning` when a server sends the same text under both names, and echoes that name', async () => {
    const { server, backend } = await setup([
      {
        chunks: [
          { delta: { role: 'assistant', reasoning: 'think', reasoning_content: 'think' } },
          { delta: { content: 'done' } },
          { delta: {}, finish_reason: 'stop' },
        ],
      },
      { step: { answer: 'ok' } },
    ]);
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.reasoning).toBe('think');
    expect(result.answer).toBe('done');
    await collect(
      backend.generate({
        instructions: '',
        messages: [
          { role: 'assistant', content: '', reasoning: 'think', toolCalls: [{ id: 'x', name: 'f', arguments: '{}' }] },
        ],
        tools: [],
      }),
    );
    expect(server.chatBodies[1].messages[0]).toHaveProperty('reasoning', 'think');
    expect(server.chatBodies[1].messages[0]).not.toHaveProperty('reasoning_content');
  });

  it('reads a whole completion from a server that ignores stream: true', async () => {
    const { backend } = await setup([
      {
        status: 200,
        body: {
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: '',
                reasoning_content: 'Need a.',
                tool_calls: [
                  { id: 'c9', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } },
                ],
              },
              finish_reason: 'tool_calls',
            },
          ],
          usage: { prompt_tokens: 30, completion_tokens: 12 },
        },
      },
    ]);
    const result = await collect(backend.generate(userRequest('q', { tools })));
    expect(result.reasoning).toBe('Need a.');
    expect(result.toolCalls).toEqual([{ id: 'c9', name: 'read_file', arguments: '{"path":"a"}' }]);
    expect(result.end).toMatchObject({ stopReason: 'tool_call', usage: { promptTokens: 30, outputTokens: 12 } });
  });

  it('reassembles tool-call arguments split over many chunks, two calls in a row', async () => {
    const { backend } = await setup([
      {
        argumentsChunkSize: 3,
        step: {
          preamble: 'Reading both. ',
          toolCalls: [
            { id: 'call_1', name: 'read_file', arguments: { path: 'src/a.ts' } },
            { id: 'call_2', name: 'read_file', arguments: { path: 'src/b.ts' } },
          ],
        },
      },
    ]);
    const result = await collect(backend.generate(userRequest('read', { tools })));
    expect(result.toolCalls).toEqual([
      { id: 'call_1', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
      { id: 'call_2', name: 'read_file', arguments: '{"path":"src/b.ts"}' },
    ]);
    // Servers that parse harmony pass the preamble on as content.
    expect(result.answer).toBe('Reading both. ');
    expect(result.end.stopReason).toBe('tool_call');
  });

  it('invents unique ids for calls without one, and takes whole calls sent in one chunk', async () => {
    const { backend } = await setup([
      {
        omitToolCallIds: true,
        argumentsChunkSize: 0,
        step: {
          toolCalls: [
            { name: 'read_file', arguments: { path: 'a' } },
            { name: 'read_file', arguments: { path: 'b' } },
          ],
        },
      },
    ]);
    const { toolCalls } = await collect(backend.generate(userRequest('read', { tools })));
    expect(toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['read_file', '{"path":"a"}'],
      ['read_file', '{"path":"b"}'],
    ]);
    expect(toolCalls[0]!.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(toolCalls[1]!.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(toolCalls[0]!.id).not.toBe(toolCalls[1]!.id);
  });

  it('samples as gpt-oss recommends (temperature 1, top_p 1) unless told otherwise', async () => {
    const { server, backend } = await setup([{ step: { answer: 'a' } }, { step: { answer: 'b' } }]);
    await collect(backend.generate(userRequest('hi')));
    expect(server.chatBodies[0]).toMatchObject({ temperature: 1, top_p: 1 });
    await server.close();
    const configured = await setup([{ step: { answer: 'c' } }], { temperature: 0.2, topP: 0.9 });
    await collect(configured.backend.generate(userRequest('hi')));
    expect(configured.server.chatBodies[0]).toMatchObject({ temperature: 0.2, top_p: 0.9 });
  });

  it('maps finish_reason length to stopReason length', async () => {
    const { backend } = await setup([{ step: { answer: 'cut sho' }, finishReason: 'length' }]);
    const result = await collect(backend.generate(userRequest('long', { maxOutputTokens: 3 })));
    expect(result.end.stopReason).toBe('length');
  });
});

describe('OpenAICompatibleBackend with harmony leaked into content', () => {
  it.each([1, 2, 3, 7])('parses reasoning, preamble and a tool call in %i-character chunks', async (chunkSize) => {
    const { backend } = await setup([
      {
        flavour: 'harmony',
        chunkSize,
        step: {
          reasoning: 'Check <b> tags & a<|tricky text.',
          preamble: 'Looking at the file.',
          toolCalls: [{ name: 'read_file', arguments: { path: 'x<y>.ts' } }],
        },
      },
    ]);
    const result = await collect(backend.generate(userRequest('go', { tools })));
    expect(result.reasoning).toBe('Check <b> tags & a<|tricky text.');
    expect(result.preamble).toBe('Looking at the file.');
    expect(result.answer).toBe('');
    expect(result.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'read_file', arguments: '{"path":"x<y>.ts"}' },
    ]);
    expect(result.end.stopReason).toBe('tool_call');
  });

  it('parses analysis then final, and never shows a raw token', async () => {
    const { backend } = await setup([
      { flavour: 'harmony', chunkSize: 4, step: { reasoning: 'Simple sum.', answer: 'The total is 5050.' } },
    ]);
    const result = await collect(backend.generate(userRequest('sum 1..100')));
    expect(result.reasoning).toBe('Simple sum.');
    expect(result.answer).toBe('The total is 5050.');
    expect(result.end.stopReason).toBe('stop');
    for (const event of result.events) {
      if ('delta' in event) expect(event.delta).not.toMatch(/<\||\|>/);
    }
  });

  it('reads a recipient in the role part and a call on the analysis channel, cut at the stop token', async () => {
    const content =
      '<|channel|>analysis<|message|>Search first.<|end|>' +
      '<|start|>assistant to=functions.grep<|channel|>commentary json<|message|>{"pattern":"TODO"}<|call|>' +
      '<|start|>assistant<|channel|>analysis to=functions.read_file code<|message|>{"path":"a"}';
    const chunks = content.match(/[\s\S]{1,5}/g)!.map((piece) => ({ delta: { content: piece } }));
    const { backend } = await setup([{ chunks: [...chunks, { delta: {}, finish_reason: 'stop' }] }]);
    const result = await collect(backend.generate(userRequest('todo?', { tools })));
    expect(result.reasoning).toBe('Search first.');
    expect(result.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['grep', '{"pattern":"TODO"}'],
      ['read_file', '{"path":"a"}'],
    ]);
    expect(result.answer).toBe('');
  });
});

describe('OpenAICompatibleBackend usage', () => {
  it("reports llama-server's timings: evaluated and cached prompt tokens, server speed", async () => {
    const { backend } = await setup([
      {
        step: { answer: 'ok' },
        usage: { prompt_tokens: 1200, completion_tokens: 40, total_tokens: 1240 },
        timings: { prompt_n: 200, cache_n: 1000, predicted_n: 40, predicted_per_second: 31.5, prompt_ms: 900 },
      },
    ]);
    const { end } = await collect(backend.generate(userRequest('q')));
    expect(end.usage).toMatchObject({
      promptTokens: 200,
      cachedPromptTokens: 1000,
      outputTokens: 40,
      tokensPerSecond: 31.5,
    });
  });

  it("reports vLLM's cached_tokens, and measures first-token time and speed with the injected clock", async () => {
    let clock = 0;
    const { backend } = await setup(
      [
        {
          step: { answer: 'Hello world' }, // three 5-character chunks
          usage: { prompt_tokens: 1200, completion_tokens: 40, prompt_tokens_details: { cached_tokens: 1024 } },
        },
      ],
      { now: () => (clock += 100) },
    );
    const { end } = await collect(backend.generate(userRequest('q')));
    // Clock: 100 when sent; 200, 300, 400 at the three deltas.
    expect(end.usage).toEqual({
      promptTokens: 176,
      cachedPromptTokens: 1024,
      outputTokens: 40,
      timeToFirstTokenMs: 100,
      tokensPerSecond: 39 / 0.2,
    });
  });

  it('counts output deltas when the server reports no usage', async () => {
    const { backend } = await setup([
      { chunks: [{ delta: { content: 'a' } }, { delta: { content: 'b' } }, { delta: {}, finish_reason: 'stop' }] },
    ]);
    const { end } = await collect(backend.generate(userRequest('q')));
    expect(end.usage.promptTokens).toBe(0);
    expect(end.usage.outputTokens).toBe(2);
  });
});

describe('OpenAICompatibleBackend endpoint and model', () => {
  it('adds /v1 to a bare host:port and sends the API key as a bearer token', async () => {
    server = await startChatServer([{ step: { answer: 'ok' } }], { apiKey: 'sk-local' });
    const backend = new OpenAICompatibleBackend({ endpoint: `${server.origin}/`, model: 'm', apiKey: 'sk-local' });
    expect(backend.endpoint).toBe(server.url);
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.answer).toBe('ok');
    expect(server.requests[0]!.path).toBe('/v1/chat/completions');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-local');
  });

  it('asks /models once for the first gpt-oss model and learns its context size', async () => {
    server = await startChatServer([{ step: { answer: 'one' } }, { step: { answer: 'two' } }], {
      models: ['qwen3-8b', 'openai/gpt-oss-120b', 'gpt-oss-20b'],
      modelFields: { max_model_len: 65536 },
    });
    const backend = new OpenAICompatibleBackend({ endpoint: server.url });
    // Until the server names its model, the endpoint stands in for it (never a placeholder).
    expect(backend.description.model).toBe(new URL(server.url).host);
    const first = await collect(backend.generate(userRequest('q')));
    const second = await collect(backend.generate(userRequest('q')));
    expect([first.answer, second.answer]).toEqual(['one', 'two']);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models',
      'POST /v1/chat/completions',
      'POST /v1/chat/completions',
    ]);
    expect(server.chatBodies.map((b) => b.model)).toEqual(['openai/gpt-oss-120b', 'openai/gpt-oss-120b']);
    expect(backend.description.model).toBe('openai/gpt-oss-120b');
    expect(first.end.usage.contextSize).toBe(65536);
  });

  it('takes the first model when none is a gpt-oss', async () => {
    server = await startChatServer([{ step: { answer: 'ok' } }], { models: ['local-model', 'other'] });
    const backend = new OpenAICompatibleBackend({ endpoint: server.url });
    await collect(backend.generate(userRequest('q')));
    expect(server.chatBodies[0].model).toBe('local-model');
  });

  it('says clearly when no model was given and the server lists none', async () => {
    server = await startChatServer([], { models: [] });
    const backend = new OpenAICompatibleBackend({ endpoint: server.url });
    const { end } = await collect(backend.generate(userRequest('q')));
    expect(end.stopReason).toBe('error');
    expect(end.error).toEqual({
      message: `No --model was given and the models of ${server.url} could not be listed: the server lists no models (is one loaded?)`,
      hint: `Name the model with --model (the name the server uses, e.g. gpt-oss:20b for Ollama), or check that --endpoint is right: curl ${server.url}/models`,
    });
    expect(server.chatBodies).toEqual([]);
  });
});

describe('OpenAICompatibleBackend start-up check (probe)', () => {
  it('learns the model name from /models before any prompt', async () => {
    server = await startChatServer([], { models: ['qwen3-8b', 'gpt-oss-120b'] });
    const backend = new OpenAICompatibleBackend({ endpoint: server.url });
    expect(await backend.probe()).toEqual({});
    expect(backend.description.model).toBe('gpt-oss-120b');
  });

  it('says the server is unreachable when nothing listens, and is fine once it is up', async () => {
    server = await startChatServer([]);
    const { url } = server;
    await server.close();
    server = undefined;
    const backend = new OpenAICompatibleBackend({ endpoint: url, model: 'gpt-oss-20b' });
    const down = await backend.probe();
    expect(down.error).toMatchObject({ short: 'unreachable', message: expect.stringContaining('Could not connect') });
    expect(down.error?.hint).toBeTruthy();
  });

  it('says when the API key is refused, and how to give one', async () => {
    server = await startChatServer([], { apiKey: 'sk-right' });
    const backend = new OpenAICompatibleBackend({ endpoint: server.url, model: 'gpt-oss-20b' });
    const { error } = await backend.probe();
    expect(error).toMatchObject({ short: 'API key refused', hint: expect.stringContaining('--api-key') });
    const keyed = new OpenAICompatibleBackend({ endpoint: server.url, model: 'gpt-oss-20b', apiKey: 'sk-right' });
    expect(await keyed.probe()).toEqual({});
  });

  it('warns when the server does not list the model asked for', async () => {
    server = await startChatServer([], { models: ['gpt-oss:20b'] });
    const backend = new OpenAICompatibleBackend({ endpoint: server.url, model: 'gpt-oss-20b' });
    const { error, warning } = await backend.probe();
    expect(error).toBeUndefined();
    expect(warning).toContain('does not list the model "gpt-oss-20b" (it lists gpt-oss:20b)');
  });
});

describe('the chat server fixture', () => {
  it.each(['reasoning_content', 'reasoning', 'harmony'] as ChatFlavour[])(
    'renders a %s step that the backend reads back whole',
    async (flavour) => {
      const { backend } = await setup([
        { flavour, step: { reasoning: 'r1 r2', answer: 'final words', chunkDelayMs: 1 } },
      ]);
      const result = await collect(backend.generate(userRequest('q')));
      expect([result.reasoning, result.answer]).toEqual(['r1 r2', 'final words']);
    },
  );
});
