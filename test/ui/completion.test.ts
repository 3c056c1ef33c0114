import { describe, expect, it } from 'vitest';
import { suggest } from '../../src/ui/completion.js';

const commands = [
  { name: 'help', summary: 'commands and keys' },
  { name: 'mode', summary: 'approval mode', args: ['suggest', 'auto-edit', 'full-auto'] },
  { name: 'model', summary: 'the model' },
];

describe('slash-command completion', () => {
  it('offers the commands that start with what was typed', () => {
    expect(suggest('/mo', commands).map((s) => s.value)).toEqual(['/mode ', '/model']);
    expect(suggest('/', commands)).toHaveLength(3);
    expect(suggest('/x', commands)).toEqual([]);
  });

  it('offers argument values once the command is complete', () => {
    expect(suggest('/mode ', commands).map((s) => s.value)).toEqual([
      '/mode suggest',
      '/mode auto-edit',
      '/mode full-auto',
    ]);
    expect(suggest('/mode a', commands).map((s) => s.label)).toEqual(['auto-edit']);
    expect(suggest('/mode auto-edit', commands)).toEqual([]);
  });

  it('stays quiet for prompts and multi-line text', () => {
    expect(suggest('fix it', commands)).toEqual([]);
    expect(suggest('/he\nmore', commands)).toEqual([]);
  });
});
