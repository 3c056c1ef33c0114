import { describe, expect, it } from 'vitest';
import { AnswerStream } from '../../src/agent/answer-stream.js';

/** Feeds `pieces`, then ends the generation; returns everything shown. */
function shownOf(pieces: string[], holdJson = true): { shown: string; stream: AnswerStream } {
  const stream = new AnswerStream(holdJson);
  let shown = '';
  for (const piece of pieces) shown += stream.push(piece);
  shown += stream.finish();
  return { shown, stream };
}

describe('AnswerStream', () => {
  it('shows plain answers as they come, holding only a tail that could begin debris', () => {
    const stream = new AnswerStream(true);
    expect(stream.push('Hello wor')).toBe('Hello wor');
    expect(stream.push('ld, t')).toBe('ld, ');
    expect(stream.push('hanks')).toBe('thanks');
    expect(stream.finish()).toBe('');
  });

  it('stops showing at debris split over any two pieces, and keeps only what came before it', () => {
    const text = 'Sure. to=functions.read_file {"path":"a"}';
    for (let cut = 1; cut < text.length; cut++) {
      const { shown, stream } = shownOf([text.slice(0, cut), text.slice(cut)]);
      expect(shown).toBe('Sure. ');
      expect(stream.debris).toBe(true);
      expect(stream.usable).toBe('Sure. ');
    }
  });

  it('stops at a special token split over any two pieces', () => {
    const text = 'Reading.<|constrain|>json';
    for (let cut = 1; cut < text.length; cut++) {
      expect(shownOf([text.slice(0, cut), text.slice(cut)], false).shown).toBe('Reading.');
    }
    expect(shownOf(['a <', 'b and <|x'], false).shown).toBe('a <b and <|x');
  });

  it('holds an answer that opens with "{" to the end, unless the answer itself is meant to be JSON', () => {
    const stream = new AnswerStream(true);
    expect(stream.push(' {"tool": "x"')).toBe('');
    expect(stream.push('}')).toBe('');
    expect(stream.finish()).toBe(' {"tool": "x"}');
    expect(shownOf(['{"ok":', ' true}'], false).shown).toBe('{"ok": true}');
  });

  it('never shows text after a tool call, and shows what came before once the call arrives', () => {
    const stream = new AnswerStream(true);
    expect(stream.push('Let me a')).toBe('Let me ');
    expect(stream.noteCall()).toBe('a');
    expect(stream.push('It says hi.')).toBe('');
    expect(stream.finish()).toBe('');
    expect([stream.text, stream.late]).toEqual(['Let me a', 'It says hi.']);
  });
});
