// Output shapes of real gpt-oss generations, as public reports of vLLM, llama.cpp,
// Ollama and LM Studio show them, each parsed whole, in every two-piece split, and
// one character at a time.
import { describe, expect, it } from 'vitest';
import { HarmonyStreamParser, type HarmonyEvent, type HarmonyTextType } from '../../src/model/harmony-stream.js';

const KNOWN = new Set(['read_file', 'grep', 'list_files', 'shell', 'repo_browser.open_file', 'container.exec']);

interface Parsed {
  reasoning: string;
  preamble: string;
  answer: string;
  calls: Array<[string, string]>;
}

function parse(pieces: string[], plain: HarmonyTextType = 'answer', known: ReadonlySet<string> = KNOWN): Parsed {
  const parser = new HarmonyStreamParser(plain, known);
  const events: HarmonyEvent[] = [];
  for (const piece of pieces) events.push(...parser.push(piece));
  events.push(...parser.end());
  const result: Parsed = { reasoning: '', preamble: '', answer: '', calls: [] };
  for (const event of events) {
    if (event.type === 'tool_call') result.calls.push([event.name, event.arguments]);
    else result[event.type] += event.delta;
  }
  return result;
}

/** Every split parses like the whole text; no harmony text ever comes out as text. */
function parseAll(text: string, plain: HarmonyTextType = 'answer'): Parsed {
  const whole = parse([text], plain);
  for (let cut = 1; cut < text.length; cut++)
    expect(parse([text.slice(0, cut), text.slice(cut)], plain)).toEqual(whole);
  expect(parse([...text], plain)).toEqual(whole);
  for (const shown of [whole.reasoning, whole.preamble, whole.answer]) {
    expect(shown).not.toMatch(/<\||\|>|to=functions|assistantfinal|assistantcommentary/);
  }
  return whole;
}

describe('harmony output shapes', () => {
  it('1: recipient in the role header', () => {
    expect(
      parseAll('<|start|>assistant to=functions.read_file<|channel|>commentary json<|message|>{"path":"a.ts"}<|call|>'),
    ).toEqual({ reasoning: '', preamble: '', answer: '', calls: [['read_file', '{"path":"a.ts"}']] });
  });

  it('2a: recipient after <|constrain|>', () => {
    expect(
      parseAll('<|channel|>commentary<|constrain|> to=functions.grep json<|message|>{"pattern":"x"}<|call|>').calls,
    ).toEqual([['grep', '{"pattern":"x"}']]);
  });

  it('2b: a constraint glued to the name is cut only when the rest is a known tool', () => {
    expect(parseAll('<|channel|>commentary to=functions.read_filejson<|message|>{"path":"a"}<|call|>').calls).toEqual([
      ['read_file', '{"path":"a"}'],
    ]);
    expect(parseAll('<|channel|>commentary to=container.execcode<|message|>{"command":["ls"]}<|call|>').calls).toEqual([
      ['container.exec', '{"command":["ls"]}'],
    ]);
    // Unknown without the suffix too: the name is left as written for the loop to reject.
    expect(parse(['<|channel|>commentary to=functions.fetchjson<|message|>{}<|call|>']).calls).toEqual([
      ['fetchjson', '{}'],
    ]);
    // A known tool whose own name ends in "json" keeps it.
    const parser = new HarmonyStreamParser('answer', new Set(['to_json', 'to_']));
    const events = [...parser.push('<|channel|>commentary to=functions.to_json<|message|>{}<|call|>'), ...parser.end()];
    expect(events).toEqual([{ type: 'tool_call', name: 'to_json', arguments: '{}' }]);
  });

  it('3: a call on the analysis channel, to a system-message namespace', () => {
    const result = parseAll(
      '<|channel|>analysis<|message|>Open the readme.<|end|>' +
        '<|start|>assistant<|channel|>analysis to=repo_browser.open_file code<|message|>{"path":"README.md"}<|call|>',
    );
    expect(result.reasoning).toBe('Open the readme.');
    expect(result.calls).toEqual([['repo_browser.open_file', '{"path":"README.md"}']]);
  });

  it('4: a call without <|call|>, or ended by <|return|> or <|end|>', () => {
    const header = '<|channel|>commentary to=functions.shell <|constrain|>json<|message|>{"cmd":"ls"}';
    for (const ending of ['', '<|return|>', '<|end|>']) {
      expect(parseAll(header + ending)).toEqual({
        reasoning: '',
        preamble: '',
        answer: '',
        calls: [['shell', '{"cmd":"ls"}']],
      });
    }
  });

  it('5: two calls in one generation, in order', () => {
    expect(
      parseAll(
        '<|channel|>commentary to=functions.grep json<|message|>{"pattern":"a"}<|call|>' +
          '<|start|>assistant<|channel|>commentary to=container.exec json<|message|>{"command":["ls"]}<|call|>',
      ).calls,
    ).toEqual([
      ['grep', '{"pattern":"a"}'],
      ['container.exec', '{"command":["ls"]}'],
    ]);
  });

  it('6: a final answer written after a call comes out after it (the loop drops it)', () => {
    const result = parseAll(
      '<|channel|>commentary to=functions.read_file json<|message|>{"path":"a"}<|call|>' +
        '<|start|>assistant<|channel|>final<|message|>The file says hi.<|return|>',
    );
    expect(result.calls).toEqual([['read_file', '{"path":"a"}']]);
    expect(result.answer).toBe('The file says hi.');
  });

  it('6: a tool result the model wrote itself after its call is never shown', () => {
    const result = parseAll(
      '<|channel|>commentary to=functions.read_file json<|message|>{"path":"a"}<|call|>' +
        '<|start|>functions.read_file to=assistant<|channel|>commentary<|message|>{"text":"made up"}<|end|>' +
        '<|start|>assistant<|channel|>final<|message|>It says made up.<|return|>',
    );
    expect(result).toEqual({
      reasoning: '',
      preamble: '',
      answer: 'It says made up.',
      calls: [['read_file', '{"path":"a"}']],
    });
  });

  it('7a: special tokens stripped: analysis…assistantfinal…', () => {
    expect(parseAll('analysisThe user says hi. Reply briefly.assistantfinalHello! How can I help?')).toEqual({
      reasoning: 'The user says hi. Reply briefly.',
      preamble: '',
      answer: 'Hello! How can I help?',
      calls: [],
    });
  });

  it('7a: a stripped final channel with nothing after it is an empty answer, not text', () => {
    expect(parseAll('analysisThinking.assistantfinal')).toEqual({
      reasoning: 'Thinking.',
      preamble: '',
      answer: '',
      calls: [],
    });
  });

  it('7b: special tokens stripped: a call with or without the assistant role', () => {
    for (const text of [
      'commentary to=functions.read_file json{"path":"a.ts"}',
      'assistantcommentary to=functions.read_file json{"path":"a.ts"}',
      'analysisNeed the file.assistantcommentary to=functions.read_file json{"path":"a.ts"}',
      'analysisNeed the file.assistantanalysis to=functions.read_filejson{"path":"a.ts"}',
    ]) {
      expect(parseAll(text).calls).toEqual([['read_file', '{"path":"a.ts"}']]);
    }
    // Braces inside strings do not end the arguments; what follows is the next message.
    const two = parseAll(
      'assistantcommentary to=functions.grep json{"pattern":"a}{"}assistantcommentary to=functions.shell json{"cmd":"ls"}',
    );
    expect(two.calls).toEqual([
      ['grep', '{"pattern":"a}{"}'],
      ['shell', '{"cmd":"ls"}'],
    ]);
  });

  it('7c: ordinary answers that mention the channel words are left alone', () => {
    for (const text of [
      'analysis of the code shows two bugs.',
      'analysis.ts holds the parser.',
      'final answer: 42',
      'commentary to=functions.unknown_tool json{"a":1}',
      'assistant messages end with <|end|>? No: with a period.',
      'The assistant finally ran. Then to=functions.read_file is how a call looks.',
      'to=functions.nothing {"x":1}',
    ]) {
      const result = parse([text]);
      expect(result.calls).toEqual([]);
      expect(result.reasoning).toBe('');
      expect(result.answer).toBe(text.replace('<|end|>', ''));
    }
  });

  it('7d: a stripped call inside a reasoning stream', () => {
    const result = parseAll(
      'We need the file.assistantcommentary to=functions.read_file json{"path":"b"}',
      'reasoning',
    );
    expect(result.reasoning).toBe('We need the file.');
    expect(result.calls).toEqual([['read_file', '{"path":"b"}']]);
  });

  it('8: a call written as text at the start of the final answer', () => {
    const result = parseAll('<|channel|>final<|message|>to=functions.read_file json{"path":"c"}<|return|>');
    expect(result).toEqual({ reasoning: '', preamble: '', answer: '', calls: [['read_file', '{"path":"c"}']] });
  });

  it('10: a <|channel|> token inside the tool name', () => {
    expect(
      parseAll('<|start|>assistant to=functions.read_file<|channel|>commentary<|constrain|>json<|message|>{"path":"d"}')
        .calls,
    ).toEqual([['read_file', '{"path":"d"}']]);
  });

  it('11: empty arguments become {}', () => {
    expect(parseAll('<|channel|>commentary to=functions.list_files json<|message|><|call|>').calls).toEqual([
      ['list_files', '{}'],
    ]);
    expect(parseAll('<|channel|>commentary to=functions.list_files json<|message|> \n<|call|>').calls).toEqual([
      ['list_files', '{}'],
    ]);
  });
});
