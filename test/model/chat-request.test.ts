import { describe, expect, it } from 'vitest';
import type { GenerateRequest } from '../../src/model/backend.js';
import { buildChatRequest } from '../../src/model/chat-request.js';

const tools = [
  {
    name: 'read_file',
    description: 'Read a file',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
];

describe('buildChatRequest', () => {
  it('sends a streaming request with tools, effort, max tokens and a JSON schema', () => {
    const request: GenerateRequest = {
      instructions: 'Be brief.',
      messages: [{ role: 'user', content: 'Review this.' }],
      tools,
      reasoningEffort: 'high',
      maxOutputTokens: 512,
      responseSchema: { title: 'review findings', type: 'object' },
    };
    expect(buildChatRequest('gpt-oss-20b', request, 'reasoning_content', { temperature: 1, topP: 1 })).toEqual({
      model: 'gpt-oss-20b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Review this.' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: 'function', function: tools[0] }],
      reasoning_effort: 'high',
      chat_template_kwargs: { reasoning_effort: 'high' },
      max_tokens: 512,
      temperature: 1,
      top_p: 1,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'review_findings', schema: { title: 'review findings', type: 'object' }, strict: true },
      },
    });
  });

  it('leaves out what was not asked for', () => {
    const body = buildChatRequest('m', { instructions: '', messages: [], tools: [] }, 'reasoning');
    expect(body).toEqual({ model: 'm', messages: [], stream: true, stream_options: { include_usage: true } });
  });

  it('converts a tool round, with reasoning in the chosen field and the preamble only without reasoning', () => {
    const messages: GenerateRequest['messages'] = [
      { role: 'user', content: 'Fix it' },
      {
        role: 'assistant',
        content: '',
        preamble: 'Reading a.',
        reasoning: 'Need a.',
        toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{"path":"a"}' }],
      },
      { role: 'tool', toolCallId: 'c1', name: 'read_file', content: '1: x' },
      {
        role: 'assistant',
        content: '',
        preamble: 'Now b.',
        toolCalls: [{ id: 'c2', name: 'read_file', arguments: '{"path":' }],
      },
      { role: 'tool', toolCallId: 'c2', name: 'read_file', content: 'error: bad JSON' },
      { role: 'assistant', content: 'Done.', reasoning: 'All good.' },
    ];
    const body = buildChatRequest('m', { instructions: 'sys', messages, tools: [] }, 'reasoning');
    expect(body.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'Fix it' },
      {
        role: 'assistant',
        content: '',
        reasoning: 'Need a.',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', name: 'read_file', content: '1: x' },
      {
        role: 'assistant',
        content: 'Now b.',
        tool_calls: [
          {
            id: 'c2',
            type: 'function',
            function: { name: 'read_file', arguments: JSON.stringify({ invalid_json: '{"path":' }) },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c2', name: 'read_file', content: 'error: bad JSON' },
      { role: 'assistant', content: 'Done.', reasoning: 'All good.' },
    ]);
    const llama = buildChatRequest(
      'm',
      { instructions: '', messages: messages.slice(0, 2), tools: [] },
      'reasoning_content',
    );
    expect((llama.messages as Array<Record<string, unknown>>)[1]).toMatchObject({ reasoning_content: 'Need a.' });
    expect((llama.messages as Array<Record<string, unknown>>)[1]).not.toHaveProperty('reasoning');
  });
});
