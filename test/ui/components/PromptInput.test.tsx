import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { PROMPT_PLACEHOLDER, PromptInput } from '../../../src/ui/components/PromptInput.js';
import { plain } from '../ink-helpers.js';

function input(
  text: string,
  cursor = text.length,
  options: { columns?: number; maxRows?: number; busy?: boolean } = {},
) {
  return plain(
    render(
      <PromptInput
        value={{ text, cursor }}
        suggestions={[]}
        selected={0}
        columns={options.columns ?? 60}
        maxRows={options.maxRows ?? 5}
        busy={options.busy ?? false}
      />,
    ).lastFrame(),
  );
}

describe('PromptInput', () => {
  it('shows the placeholder when empty, and a different hint while a turn runs', () => {
    expect(input('', 0, { columns: 100 })).toContain(PROMPT_PLACEHOLDER);
    expect(input('', 0, { busy: true })).toContain('sent when this turn ends');
  });

  it('keeps a long paste to a window of rows around the cursor, at 60 columns', () => {
    const text = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
    const frame = input(text);
    const lines = frame.split('\n');
    expect(lines).toHaveLength(2 + 1 + 5); // border, "more" marker, five rows
    expect(frame).toContain('↑ 35 more lines');
    expect(frame).toContain('line 40');
    expect(frame).not.toContain('line 35\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(60);
  });

  it('wraps one very long line, wide characters included, inside the box', () => {
    const frame = input('漢字'.repeat(40), 0, { maxRows: 10 });
    for (const line of frame.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(60);
    expect(frame.replace(/[│╭╮╰╯─› \n]/g, '')).toBe('漢字'.repeat(40));
  });
});
