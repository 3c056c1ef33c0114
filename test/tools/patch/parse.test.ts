import { describe, expect, it } from 'vitest';
import { extractPatchBody } from '../../../tools/patch/extract.js';
import { parsePatch } from '../../../tools/patch/parse.js';

describe('extractPatchBody', () => {
  it('returns the lines between the markers with their line number in the input', () => {
    expect(extractPatchBody('intro\n*** Begin Patch\r\n*** Delete File: a\r\n*** End Patch\r\ntrailing')).toEqual({
      lines: ['*** Delete File: a'],
      firstLineNumber: 3,
    });
  });

  it('ends a patch without an end marker at a closing fence or heredoc word, not at look-alike lines', () => {
    const text = [
      "cat <<'X' | applypatch",
      'apply_patch <<"EOF"',
      '*** Begin Patch',
      '*** Update File: a.md',
      '@@',
      ' ```',
      ' EOF',
      '-x',
      '+y',
      'EOF',
      'after',
    ];
    expect(extractPatchBody(text.join('\n')).lines).toEqual([
      '*** Update File: a.md',
      '@@',
      ' ```',
      ' EOF',
      '-x',
      '+y',
    ]);
  });

  it('accepts a patch that starts at its first file header', () => {
    expect(extractPatchBody('*** Update File: a\n@@\n-x\n+y').lines).toEqual(['*** Update File: a', '@@', '-x', '+y']);
  });

  it('refuses two patches in one input', () => {
    expect(() =>
      extractPatchBody('*** Begin Patch\n*** Delete File: a\n*** End Patch\n*** Begin Patch\n*** End Patch'),
    ).toThrow('The input holds more than one patch (a second "*** Begin Patch" at line 4).');
  });
});

describe('parsePatch', () => {
  it('parses every kind of section, with headers, end-of-file marks and implicit first hunks', () => {
    const text = [
      '*** Begin Patch',
      '*** Add File: n.txt',
      '+one',
      '',
      '+three',
      '',
      '*** Delete File: d.txt',
      '*** Update File: u.ts',
      '*** Move to: v.ts',
      ' a',
      '-b',
      '+c',
      '@@ class A',
      '@@ -10,4 +10,5 @@   run() {',
      ' x',
      '',
      '+y',
      '*** End of File',
      '@@ -3 +3 @@',
      '-q',
      '',
      '',
      '*** End Patch',
    ].join('\n');
    expect(parsePatch(text)).toEqual({
      operations: [
        { type: 'add', path: 'n.txt', lines: ['one', '', 'three'] },
        { type: 'delete', path: 'd.txt' },
        {
          type: 'update',
          path: 'u.ts',
          moveTo: 'v.ts',
          hunks: [
            {
              number: 1,
              headers: [],
              atEndOfFile: false,
              trailingBlankLines: 0,
              lines: [
                { kind: 'context', text: 'a' },
                { kind: 'remove', text: 'b' },
                { kind: 'add', text: 'c' },
              ],
            },
            {
              number: 2,
              headers: ['class A', 'run() {'],
              atEndOfFile: true,
              trailingBlankLines: 0,
              lines: [
                { kind: 'context', text: 'x' },
                { kind: 'context', text: '' },
                { kind: 'add', text: 'y' },
              ],
            },
            {
              number: 3,
              headers: [],
              atEndOfFile: false,
              trailingBlankLines: 2,
              lines: [
                { kind: 'remove', text: 'q' },
                { kind: 'context', text: '' },
                { kind: 'context', text: '' },
              ],
            },
          ],
        },
      ],
    });
  });

  it('names the patch line of misplaced headers', () => {
    expect(() => parsePatch('*** Begin Patch\n*** Delete File: a\n*** Move to: b\n*** End Patch')).toThrow(
      '"*** Move to:" at line 3 of the patch must come right after an "*** Update File:" line.',
    );
    expect(() => parsePatch('*** Begin Patch\n*** Update File: a\n*** End of File\n*** End Patch')).toThrow(
      '"*** End of File" at line 3 of the patch must follow the lines of a hunk in an "*** Update File:" section.',
    );
    expect(() => parsePatch('*** Begin Patch\n*** Add File:   \n*** End Patch')).toThrow(
      '"*** Add File:" at line 2 of the patch has no path after it.',
    );
    expect(() => parsePatch('*** Begin Patch\n-x\n*** End Patch')).toThrow(
      'line 2 of the patch ("-x") is outside any file section.',
    );
    expect(() => parsePatch('*** Begin Patch\n*** Update File: a\n@@ f()\n*** End Patch')).toThrow(
      'a, hunk 1: it has "@@" lines but no lines to change.',
    );
    expect(() => parsePatch('*** Begin Patch\n*** End Patch')).toThrow('The patch has no file sections.');
    expect(() => parsePatch(undefined as never)).toThrow('The "input" argument must be the patch text, a string.');
  });
});
