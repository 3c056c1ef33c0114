import { describe, expect, it } from 'vitest';
import { loadMarkdownLibraries } from '../../../src/ui/markdown/load-markdown.js';
import { syntaxLines } from '../../../src/ui/markdown/MarkdownView.js';
import { themeFor } from '../../../src/ui/theme.js';

describe('code highlighting', () => {
  it('colours code by token kind, line by line', async () => {
    const { highlight } = await loadMarkdownLibraries();
    const tree = highlight('typescript', 'const s = "hi"; // note\nreturn 1;')!;
    const lines = syntaxLines(tree, themeFor({}));
    expect(lines).toHaveLength(2);
    const colourOf = (line: number, text: string) => lines[line]!.find((piece) => piece.text.includes(text))?.color;
    expect(colourOf(0, 'const')).toBe('magenta');
    expect(colourOf(0, '"hi"')).toBe('green');
    expect(colourOf(0, '// note')).toBe('gray');
    expect(colourOf(1, '1')).toBe('blueBright');
    expect(lines.map((pieces) => pieces.map((piece) => piece.text).join(''))).toEqual([
      'const s = "hi"; // note',
      'return 1;',
    ]);
  });

  it('uses no colour under NO_COLOR, and gives unknown languages back as plain text', async () => {
    const { highlight } = await loadMarkdownLibraries();
    const lines = syntaxLines(highlight('js', 'let a = 1;')!, themeFor({ NO_COLOR: '1' }));
    expect(lines.flat().every((piece) => piece.color === undefined)).toBe(true);
    expect(highlight('no-such-language', 'x')).toBeUndefined();
  });
});
