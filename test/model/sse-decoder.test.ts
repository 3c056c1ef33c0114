import { describe, expect, it } from 'vitest';
import { SseDecoder } from '../../src/model/sse-decoder.js';

describe('SseDecoder', () => {
  it('yields events split anywhere, CRLF split between chunks included', () => {
    const text =
      'data: {"a":1}\r\n\r\n: keep-alive\r\n\r\nevent: x\r\ndata: one\r\ndata:two\r\n\r\ndata: [DONE]\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const decoder = new SseDecoder();
      const events = [...decoder.push(text.slice(0, cut)), ...decoder.push(text.slice(cut)), ...decoder.end()];
      expect(events, `cut at ${cut}`).toEqual([
        { data: '{"a":1}' },
        { event: 'x', data: 'one\ntwo' },
        { data: '[DONE]' },
      ]);
    }
  });

  it('keeps a last event that lacks its blank line when the body ends', () => {
    const decoder = new SseDecoder();
    expect(decoder.push('data: {"b":2}\n')).toEqual([]);
    expect(decoder.end()).toEqual([{ data: '{"b":2}' }]);
  });
});
