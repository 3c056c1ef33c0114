// How a request becomes node-llama-cpp chat history, and how the harmony
// wrapper renders it: what gpt-oss reads.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/model/backend.js';
import { GeneratedRaw, toChatHistory } from '../../src/model/embedded-history.js';
import { toFunctions } from '../../src/model/embedded-functions.js';
import { createHarmonyWrapper } from '../../src/model/harmony-wrapper.js';

const lib = await import('node-llama-cpp');

const turn: ChatMessage[] = [
  { role: 'user', content: 'Fix the test' },
  {
    role: 'assistant',
    content: '',
    reasoning: 'Look at the file first.',
    preamble: 'Reading it.',
    toolCalls: [{ id: 'a', name: 'read_file', arguments: '{"path":"x.ts"}' }],
  },
  { role: 'tool', toolCallId: 'a', name: 'read_file', content: '1 const x = "y";\n2 \\n' },
  { role: 'assistant', content: 'Done.', reasoning: 'It is fine.' },
];

function render(messages: ChatMessage[], instructions = 'Be brief.'): string {
  const wrapper = createHarmonyWrapper(lib, 'high');
  const tools = [
    {
      name: 'read_file',
      description: 'Read a file.',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string' }, start_line: { type: 'integer', description: 'First line, default 1' } },
        required: ['path'],
      },
    },
  ];
  return wrapper
    .generateContextState({
      chatHistory: [...toChatHistory(instructions, messages), { type: 'model', response: [] }],
      availableFunctions: toFunctions(tools)!,
    })
    .contextText.toString();
}

describe('toChatHistory', () => {
  it('makes one model item of everything the assistant did between two user messages', () => {
    expect(toChatHistory('Be brief.', [...turn, { role: 'user', content: 'Thanks' }])).toEqual([
      { type: 'system', text: 'Be brief.' },
      { type: 'user', text: 'Fix the test' },
      {
        type: 'model',
        response: [
          { type: 'segment', segmentType: 'thought', text: 'Look at the file first.', ended: true },
          { type: 'segment', segmentType: 'comment', text: 'Reading it.', ended: true },
          { type: 'functionCall', name: 'read_file', params: { path: 'x.ts' }, result: '1 const x = "y";\n2 \\n' },
          { type: 'segment', segmentType: 'thought', text: 'It is fine.', ended: true },
          'Done.',
        ],
      },
      { type: 'user', text: 'Thanks' },
    ]);
  });

  it('keeps arguments that are not JSON as the text the model wrote', () => {
    const history = toChatHistory('', [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'b', name: 'grep', arguments: '{"pattern":' }] },
      { role: 'tool', toolCallId: 'b', name: 'grep', content: 'Invalid JSON' },
    ]);
    expect(history[0]).toEqual({ type: 'user', text: 'x' });
    expect(history[1]).toMatchObject({ response: [{ params: '{"pattern":', result: 'Invalid JSON' }] });
  });

  it('reuses the raw form of what the model generated, and forgets it once the history drops it', () => {
    const raw = new GeneratedRaw();
    const rawCall = { values: ['raw call'] } as never;
    const rawThought = { values: ['raw thought'] } as never;
    raw.rememberCall('a', rawCall);
    raw.rememberSegment('thought', 'Look at the file first.', rawThought);
    const first = raw.toChatHistory('', turn.slice(0, 3));
    expect(first[1]).toMatchObject({
      response: [{ raw: rawThought }, { segmentType: 'comment' }, { rawCall, result: '1 const x = "y";\n2 \\n' }],
    });
    // The next turn drops the reasoning: its raw form is no longer kept; the call's still is.
    const withoutReasoning = turn.slice(0, 3).map((m) => (m.role === 'assistant' ? { ...m, reasoning: undefined } : m));
    raw.toChatHistory('', withoutReasoning as ChatMessage[]);
    expect(raw.toChatHistory('', turn.slice(0, 3))[1]).toMatchObject({
      response: [{ segmentType: 'thought', text: 'Look at the file first.' }, {}, { rawCall }],
    });
    expect(JSON.stringify(raw.toChatHistory('', turn.slice(0, 3)))).not.toContain('raw thought');
  });
});

describe('the harmony prompt', () => {
  it('has our instructions, the tools and the reasoning effort, and no date', () => {
    const prompt = render(turn.slice(0, 1));
    expect(prompt).toContain('<|start|>system<|message|>');
    expect(prompt).toContain('Reasoning: high');
    expect(prompt).not.toMatch(/Current date/);
    expect(prompt).toContain('<|start|>developer<|message|># Instructions\n\nBe brief.');
    expect(prompt).toContain(
      '# Tools\n\n## functions\n\nnamespace functions {\n\n// Read a file.\ntype read_file = (_: {\npath: string,\n' +
        '// First line, default 1\nstart_line?: number,\n}) => any;\n\n} // namespace functions<|end|>',
    );
    expect(prompt.endsWith('<|start|>user<|message|>Fix the test<|end|><|start|>assistant')).toBe(true);
  });

  it('writes tool results as the plain text the tool returned', () => {
    const prompt = render(turn.slice(0, 3));
    expect(prompt).toContain(
      '<|start|>functions.read_file to=assistant<|channel|>commentary<|message|>1 const x = "y";\n2 \\n<|end|>',
    );
  });

  it('keeps the reasoning the request keeps, between tool calls of the turn in progress', () => {
    const prompt = render(turn.slice(0, 3));
    expect(prompt).toContain('<|channel|>analysis<|message|>Look at the file first.<|end|>');
    expect(prompt).toContain('<|channel|>commentary<|message|>Reading it.<|end|>');
    expect(prompt).toContain(
      '<|channel|>commentary to=functions.read_file<|constrain|>json<|message|>{"path": "x.ts"}<|call|>',
    );
  });
});
