import { describe, expect, it } from 'vitest';
import { applyHunks } from '../../../tools/patch/apply-hunks.js';
import { findHeaderLine, findSequence, SearchableLines } from '../../../tools/patch/locate.js';
import { nearestWindow } from '../../../tools/patch/nearest.js';
import { parsePatch } from '../../../tools/patch/parse.js';
import { joinText, splitText } from '../../../tools/patch/text-lines.js';

/** The new text of `content` after the hunks of a one-file update patch. */
function update(content: string, ...hunkLines: string[]): string {
  const parsed = parsePatch(['*** Begin Patch', '*** Update File: f', ...hunkLines, '*** End Patch'].join('\n'));
  const op = parsed.operations[0]!;
  if (op.type !== 'update') throw new Error('not an update');
  return applyHunks('f', content, op.hunks);
}

describe('splitText / joinText', () => {
  it.each([
    ['', [], '\n', true],
    ['a', [['a', '']], '\n', false],
    [
      'a\nb\n',
      [
        ['a', '\n'],
        ['b', '\n'],
      ],
      '\n',
      true,
    ],
    [
      'a\r\nb\r\nc\n',
      [
        ['a', '\r\n'],
        ['b', '\r\n'],
        ['c', '\n'],
      ],
      '\r\n',
      true,
    ],
    [
      'a\r\nb',
      [
        ['a', '\r\n'],
        ['b', ''],
      ],
      '\r\n',
      false,
    ],
    [
      '\n\n',
      [
        ['', '\n'],
        ['', '\n'],
      ],
      '\n',
      true,
    ],
    ['a\rb\n', [['a\rb', '\n']], '\n', true],
  ] as const)('round-trips %j', (content, lines, eol, finalNewline) => {
    const split = splitText(content);
    expect(split).toEqual({ lines: lines.map(([text, e]) => ({ text, eol: e })), eol, finalNewline });
    expect(joinText(split.lines, split)).toBe(content);
  });
});

describe('findSequence', () => {
  const file = new SearchableLines(['a', '  b', 'c', 'a', 'b  ', 'c']);
  it('takes the strictest level that matches, even when looser levels match more', () => {
    expect(findSequence(file, ['b  ', 'c'], 0)).toMatchObject({ kind: 'found', start: 4, level: { name: 'exact' } });
    expect(findSequence(file, ['b', 'c'], 0)).toMatchObject({
      kind: 'found',
      start: 4,
      level: { name: 'trailing whitespace ignored' },
    });
    expect(findSequence(file, ['a', 'b'], 0)).toMatchObject({
      kind: 'found',
      start: 3,
      level: { name: 'trailing whitespace ignored' },
    });
    expect(findSequence(file, ['a', ' b'], 0)).toMatchObject({
      kind: 'ambiguous',
      starts: [0, 3],
      level: { name: 'whitespace ignored' },
    });
  });
  it('searches only from the given line and prefers the end with atEnd', () => {
    expect(findSequence(file, ['a'], 1)).toMatchObject({ kind: 'found', start: 3 });
    expect(findSequence(file, ['c'], 0, true)).toMatchObject({ kind: 'found', start: 5 });
    expect(findSequence(file, ['a'], 0, true)).toMatchObject({ kind: 'ambiguous', starts: [0, 3] });
    expect(findSequence(file, ['x'], 0)).toEqual({ kind: 'missing' });
  });
  it('finds @@ lines whole first, then as part of a line', () => {
    const lines = new SearchableLines(['class A:', '    def run(self, x):', 'def run():']);
    expect(findHeaderLine(lines, 'def run():', 0)).toBe(2);
    expect(findHeaderLine(lines, 'def run(', 0)).toBe(1);
    expect(findHeaderLine(lines, 'def run(', 2)).toBe(2);
    expect(findHeaderLine(lines, 'class B', 0)).toBeUndefined();
  });
});

describe('nearestWindow', () => {
  it('finds the most similar run of lines, and nothing when nothing is similar', () => {
    const file = ['import os', 'def f(x):', '    return x + 1', '', 'def g():', '    pass'];
    expect(nearestWindow(file, ['def f(y):', '    return y + 1'])).toMatchObject({ start: 1, length: 2 });
    expect(nearestWindow(file, ['zzzz qqqq'])).toBeUndefined();
    expect(nearestWindow([], ['x'])).toBeUndefined();
  });
});

describe('applyHunks', () => {
  it('keeps the file’s own text for context lines matched loosely', () => {
    expect(update('\tif (x) {\n\t\tgo();\n\t}\n', '@@', '  if (x) {', '-    go();', '+\t\tstop();', '  }')).toBe(
      '\tif (x) {\n\t\tstop();\n\t}\n',
    );
  });

  it('ignores trailing blank patch lines when the file has no blank line there', () => {
    expect(update('a\nb\n', '@@', '-a', '+A', '', '')).toBe('A\nb\n');
    // ...and uses them when it does.
    expect(update('a\n\nb\na\nc\n', '@@', '-a', '+A', '')).toBe('A\n\nb\na\nc\n');
  });

  it('appends a hunk of only added lines at the end, keeping a missing final newline missing', () => {
    expect(update('a\nb', '@@', '+c')).toBe('a\nb\nc');
    expect(update('', '@@', '+first')).toBe('first\n');
  });

  it('removes every line, leaving an empty file', () => {
    expect(update('a\nb\n', '@@', '-a', '-b')).toBe('');
  });

  it('edits a mixed-ending file line by line, giving new lines the usual ending', () => {
    expect(update('a\r\nb\nc\r\nd\r\n', '@@', ' b', '-c', '+C', '+C2')).toBe('a\r\nb\nC\r\nC2\r\nd\r\n');
  });
});
