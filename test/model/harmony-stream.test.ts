import { describe, expect, it } from 'vitest';
import { HarmonyStreamParser, type HarmonyEvent, type HarmonyTextType } from '../../src/model/harmony-stream.js';

interface Parsed {
  reasoning: string;
  preamble: string;
  answer: string;
  calls: Array<{ name: string; arguments: string }>;
  /** Event types in order, consecutive text of one type merged. */
  order: string[];
}

function parse(pieces: string[], plain: HarmonyTextType = 'answer'): Parsed {
  const parser = new HarmonyStreamParser(plain);
  const events: HarmonyEvent[] = [];
  for (const piece of pieces) events.push(...parser.push(piece));
  events.push(...parser.end());
  const result: Parsed = { reasoning: '', preamble: '', answer: '', calls: [], order: [] };
  for (const event of events) {
    if (event.type === 'tool_call') {
      result.calls.push({ name: event.name, arguments: event.arguments });
      result.order.push('tool_call');
      continue;
    }
    expect(event.delta).not.toContain('<|');
    result[event.type] += event.delta;
    if (result.order[result.order.length - 1] !== event.type) result.order.push(event.type);
  }
  return result;
}

/** The same text cut in every possible place, and one character at a time, parses the same. */
function parseEverySplit(text: string): Parsed {
  const whole = parse([text]);
  for (let cut = 1; cut < text.length; cut++) {
    expect(parse([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  }
  expect(parse([...text])).toEqual(whole);
  return whole;
}

describe('HarmonyStreamParser', () => {
  it('passes plain text through at once, as the plain type', () => {
    const parser = new HarmonyStreamParser('answer');
    expect(parser.push('Hello, ')).toEqual([{ type: 'answer', delta: 'Hello, ' }]);
    expect(parser.push('world')).toEqual([{ type: 'answer', delta: 'world' }]);
    expect(parser.end()).toEqual([]);
    expect(new HarmonyStreamParser('reasoning').push('hmm')).toEqual([{ type: 'reasoning', delta: 'hmm' }]);
  });

  it('splits analysis and final channels', () => {
    const result = parseEverySplit(
      '<|channel|>analysis<|message|>User wants a sum.<|end|><|start|>assistant<|channel|>final<|message|>It is 5050.<|return|>',
    );
    expect(result).toEqual({
      reasoning: 'User wants a sum.',
      preamble: '',
      answer: 'It is 5050.',
      calls: [],
      order: ['reasoning', 'answer'],
    });
  });

  it('reads a tool call with <|constrain|>, and a preamble on commentary', () => {
    const result = parseEverySplit(
      '<|channel|>analysis<|message|>Need the file.<|end|>' +
        '<|start|>assistant<|channel|>commentary<|message|>Reading a.ts.<|end|>' +
        '<|start|>assistant<|channel|>commentary to=functions.read_file <|constrain|>json<|message|>{"path":"a.ts"}<|call|>',
    );
    expect(result).toEqual({
      reasoning: 'Need the file.',
      preamble: 'Reading a.ts.',
      answer: '',
      calls: [{ name: 'read_file', arguments: '{"path":"a.ts"}' }],
      order: ['reasoning', 'preamble', 'tool_call'],
    });
  });

  it('reads a recipient in the role part and a call on the analysis channel', () => {
    expect(
      parseEverySplit(
        '<|start|>assistant to=functions.grep<|channel|>commentary json<|message|>{"pattern":"x"}<|call|>',
      ).calls,
    ).toEqual([{ name: 'grep', arguments: '{"pattern":"x"}' }]);
    const onAnalysis = parseEverySplit(
      '<|channel|>analysis<|message|>Look.<|end|><|start|>assistant<|channel|>analysis to=functions.list_files code<|message|>{}<|call|>',
    );
    expect(onAnalysis.reasoning).toBe('Look.');
    expect(onAnalysis.calls).toEqual([{ name: 'list_files', arguments: '{}' }]);
  });

  it('says which calls were written on the analysis channel, wherever the recipient sits', () => {
    const channels = (text: string) => {
      const parser = new HarmonyStreamParser();
      return [...parser.push(text), ...parser.end()].flatMap((event) =>
        event.type === 'tool_call' ? [event.channel ?? 'commentary'] : [],
      );
    };
    expect(channels('<|channel|>analysis to=functions.grep <|constrain|>json<|message|>{}<|call|>')).toEqual([
      'analysis',
    ]);
    expect(channels('<|start|>assistant to=functions.grep<|channel|>analysis json<|message|>{}<|call|>')).toEqual([
      'analysis',
    ]);
    expect(channels('<|channel|>commentary to=functions.grep <|constrain|>json<|message|>{}<|call|>')).toEqual([
      'commentary',
    ]);
  });

  it('completes a call cut at the stop token, which servers do not send', () => {
    const result = parseEverySplit('<|channel|>commentary to=functions.shell <|constrain|>json<|message|>{"cmd":"ls"}');
    expect(result.calls).toEqual([{ name: 'shell', arguments: '{"cmd":"ls"}' }]);
    expect(result.answer).toBe('');
  });

  it('keeps a recipient that is not under functions. as the tool name', () => {
    expect(
      parse(['<|channel|>commentary to=repo_browser.open_file json<|message|>{"path":"x"}<|call|>']).calls,
    ).toEqual([{ name: 'repo_browser.open_file', arguments: '{"path":"x"}' }]);
  });

  it('holds back a partial token and releases plain "<" text once it is clearly not one', () => {
    const parser = new HarmonyStreamParser('answer');
    expect(parser.push('a <')).toEqual([{ type: 'answer', delta: 'a ' }]);
    expect(parser.push(' b')).toEqual([{ type: 'answer', delta: '< b' }]);
    expect(parser.push('x<|chan')).toEqual([{ type: 'answer', delta: 'x' }]);
    expect(parser.push('nel|>final<|message|>ok')).toEqual([{ type: 'answer', delta: 'ok' }]);
    expect(parser.push(' <|not a token')).toEqual([{ type: 'answer', delta: ' <|not a token' }]);
  });

  it('drops unknown special tokens and a token cut off at the very end', () => {
    expect(parse(['Done.<|endoftext|>'])).toMatchObject({ answer: 'Done.' });
    expect(parse(['<|channel|>final<|message|>Hi<|ret'])).toMatchObject({ answer: 'Hi' });
    expect(parse(['1 <'])).toMatchObject({ answer: '1 <' });
  });

  it('treats a header that never got its <|message|> as nothing to show', () => {
    expect(parse(['<|channel|>analysis<|message|>think<|end|><|start|>assistant<|channel|>fin'])).toEqual({
      reasoning: 'think',
      preamble: '',
      answer: '',
      calls: [],
      order: ['reasoning'],
    });
  });

  it('starts a new message at <|start|> even when <|end|> is missing', () => {
    const result = parseEverySplit(
      '<|channel|>commentary to=functions.read_file json<|message|>{"path":"b"}<|start|>assistant<|channel|>final<|message|>B.',
    );
    expect(result.calls).toEqual([{ name: 'read_file', arguments: '{"path":"b"}' }]);
    expect(result.answer).toBe('B.');
  });

  it('routes harmony found inside a reasoning stream by its channels', () => {
    const result = parse(
      [
        'plan first<|end|><|start|>assistant<|channel|>commentary to=functions.grep <|constrain|>json<|message|>{"q":1}',
      ],
      'reasoning',
    );
    expect(result.reasoning).toBe('plan first');
    expect(result.calls).toEqual([{ name: 'grep', arguments: '{"q":1}' }]);
  });
});
