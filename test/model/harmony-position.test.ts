// Where the final answer's content starts in a generated harmony stream: the point where the
// embedded backend switches a response schema's grammar on.
import { describe, expect, it } from 'vitest';
import { HarmonyPosition, type PositionChange, type SpecialName } from '../../src/model/harmony-position.js';

/** Feeds `<|name|>` tokens and text pieces; returns what each piece began, where it began something. */
function changes(stream: string): PositionChange[] {
  const position = new HarmonyPosition();
  return stream
    .split(/(<\|[a-z]+\|>)/)
    .filter((piece) => piece !== '')
    .map((piece) => {
      const name = /^<\|([a-z]+)\|>$/.exec(piece)?.[1] as SpecialName | undefined;
      return position.observe(name, name ? '' : piece);
    })
    .filter((change) => change !== undefined);
}

describe('HarmonyPosition', () => {
  it('marks the content of a final message, not analysis or commentary', () => {
    expect(changes('<|channel|>analysis<|message|>think<|end|><|start|>assistant<|channel|>final<|message|>{')).toEqual(
      ['answer'],
    );
    expect(changes('<|channel|>commentary<|message|>Reading it.<|end|>')).toEqual([]);
  });

  it('never marks a call as the answer, whatever its channel or where its recipient sits', () => {
    expect(changes('<|channel|>final to=functions.read_file <|constrain|>json<|message|>{}')).toEqual([]);
    expect(changes('<|start|>assistant to=repo_browser.open_file<|channel|>analysis<|message|>{}')).toEqual([]);
  });

  it('marks text outside any message as plain, once per piece', () => {
    expect(changes('hello<|end|>more')).toEqual(['plain', 'plain']);
    expect(changes('<|channel|>final<|message|>text')).toEqual(['answer']);
  });
});
