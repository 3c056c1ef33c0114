import { describe, expect, it } from 'vitest';
import { recoverTextCall } from '../../src/agent/text-call-recovery.js';

const object = (properties: string[], required: string[] = []) => ({
  type: 'object',
  properties: Object.fromEntries(properties.map((p) => [p, { type: 'string' }])),
  required,
});
const TOOLS = [
  { name: 'read_file', description: '', parameters: object(['path', 'start_line'], ['path']) },
  { name: 'list_files', description: '', parameters: object(['path', 'pattern']) },
  { name: 'shell', description: '', parameters: object(['command'], ['command']) },
];

describe('recoverTextCall', () => {
  it.each([
    ['{"tool":"read_file","arguments":{"path":"a"}}', 'read_file', '{"path":"a"}'],
    ['{"name":"functions.shell","parameters":{"command":"ls"}}', 'shell', '{"command":"ls"}'],
    ['{"function":"shell","args":"{\\"command\\":\\"ls\\"}"}', 'shell', '{"command":"ls"}'],
    ['  {"tool":"list_files"}\n', 'list_files', '{}'],
  ])('runs an answer that is only a call: %s', (answer, name, args) => {
    expect(recoverTextCall(answer, '', TOOLS)).toEqual({ name, arguments: args, from: 'answer' });
  });

  it.each([
    'Here: {"tool":"read_file","arguments":{"path":"a"}}',
    '{"tool":"fetch","arguments":{"url":"x"}}',
    '{"tool":"read_file","arguments":{"path":"a"},"note":"x"}',
    '{"tool":"read_file","arguments":[1]}',
    '{"path":"a"}',
  ])('leaves any other answer alone: %s', (answer) => {
    expect(recoverTextCall(answer, '', TOOLS)).toBeUndefined();
  });

  it('takes arguments at the end of the reasoning only when exactly one tool fits them', () => {
    expect(recoverTextCall('', 'Read it.{"path":"a","start_line":"1"}', TOOLS)).toEqual({
      name: 'read_file',
      arguments: '{"path":"a","start_line":"1"}',
      from: 'reasoning',
    });
    expect(recoverTextCall('', 'Run {"command":"ls"} \n', TOOLS)?.name).toBe('shell');
    // {"path"} fits read_file and list_files; {"x"} fits none; a brace mid-text is not at the end.
    expect(recoverTextCall('', 'Look {"path":"a"}', TOOLS)).toBeUndefined();
    expect(recoverTextCall('', 'Look {"x":"a"}', TOOLS)).toBeUndefined();
    expect(recoverTextCall('', '{"command":"ls"} then more thinking', TOOLS)).toBeUndefined();
    expect(recoverTextCall('', '{', TOOLS)).toBeUndefined();
    expect(recoverTextCall('', '{}', TOOLS)).toBeUndefined();
  });
});
