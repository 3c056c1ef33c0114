import { describe, expect, it } from 'vitest';
import { mentionAt, rankPaths, suggest, suggestFiles } from '../../src/ui/completion.js';

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

describe('@mention completion', () => {
  const files = ['src/', 'src/app.ts', 'src/ui/App.tsx', 'test/app.test.ts', 'docs/apple.md', 'lib/a-p-p.js'];

  it('completes only an @word at the end of the input', () => {
    expect(mentionAt('see @sr')).toEqual({ at: 4, typed: 'sr' });
    expect(mentionAt('@')).toEqual({ at: 0, typed: '' });
    expect(mentionAt('mail me@x')).toBeUndefined();
    expect(mentionAt('see @src/a.ts then')).toBeUndefined();
  });

  it('ranks a match in the file name first, then in the path, then scattered letters; shorter first', () => {
    expect(rankPaths('app', files)).toEqual([
      'src/app.ts',
      'docs/apple.md',
      'src/ui/App.tsx',
      'test/app.test.ts',
      'lib/a-p-p.js',
    ]);
    expect(rankPaths('ui/', files)).toEqual(['src/ui/App.tsx']);
    expect(rankPaths('sa', files)).toEqual(['src/app.ts', 'docs/apple.md', 'src/ui/App.tsx', 'test/app.test.ts']);
    expect(rankPaths('zzz', files)).toEqual([]);
  });

  it('keeps what comes before the mention and adds a space after the path', () => {
    expect(suggestFiles('fix @ui', files)[0]).toEqual({ value: 'fix @src/ui/App.tsx ', label: '@src/ui/App.tsx' });
  });
});
