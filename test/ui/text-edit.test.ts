import { describe, expect, it } from 'vitest';
import * as edit from '../../src/ui/text-edit.js';

const at = (text: string, cursor = text.length) => ({ text, cursor });

describe('text editing', () => {
  it('inserts and deletes at the cursor', () => {
    expect(edit.insert(at('helo', 3), 'l')).toEqual(at('hello', 4));
    expect(edit.backspace(at('hello', 5))).toEqual(at('hell', 4));
    expect(edit.deleteForward(at('hello', 0))).toEqual(at('ello', 0));
    expect(edit.backspace(at('x', 0))).toEqual(at('x', 0));
  });

  it('moves and deletes by whole graphemes: emoji, combining marks, wide characters', () => {
    const family = '👨‍👩‍👧';
    expect(edit.backspace(at(`a${family}`))).toEqual(at('a', 1));
    expect(edit.left(at(`a${family}`))).toEqual(at(`a${family}`, 1));
    expect(edit.right(at(`${family}b`, 0)).cursor).toBe(family.length);
    expect(edit.backspace(at('e\u0301'))).toEqual(at('', 0));
    expect(edit.backspace(at('日本語'))).toEqual(at('日本', 2));
  });

  it('kills to the start or end of the line and deletes words', () => {
    expect(edit.killBefore(at('one\ntwo three', 8))).toEqual(at('one\nthree', 4));
    expect(edit.killAfter(at('one two\nthree', 3))).toEqual(at('one\nthree', 3));
    expect(edit.deleteWordBefore(at('git commit  '))).toEqual(at('git ', 4));
    expect(edit.wordLeft(at('a bc de', 7)).cursor).toBe(5);
    expect(edit.wordRight(at('a bc de', 1)).cursor).toBe(4);
  });

  it('moves between lines keeping the column, and says when there is no line to go to', () => {
    const text = 'first line\nab\nthird line';
    expect(edit.up(at(text, 16))).toEqual(at(text, 13));
    expect(edit.up(at(text, 13))).toEqual(at(text, 2));
    expect(edit.down(at(text, 8))).toEqual(at(text, 13));
    expect(edit.up(at(text, 3))).toBeUndefined();
    expect(edit.down(at(text, 20))).toBeUndefined();
  });
});
