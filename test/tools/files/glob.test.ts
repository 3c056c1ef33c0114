import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../../tools/files/glob.js';

describe('compileGlob', () => {
  it.each([
    // A glob without a slash matches the file name at any depth.
    ['*.ts', 'a.ts', true],
    ['*.ts', 'src/deep/a.ts', true],
    ['*.ts', 'a.tsx', false],
    ['*.{ts,tsx}', 'src/a.tsx', true],
    ['*.{ts,tsx}', 'src/a.js', false],
    ['test_?.py', 'tests/test_1.py', true],
    ['test_?.py', 'tests/test_12.py', false],
    ['[ab].md', 'docs/a.md', true],
    ['[!ab].md', 'docs/a.md', false],
    ['[!ab].md', 'docs/c.md', true],
    ['Makefile', 'sub/Makefile', true],
    ['file(1).txt', 'file(1).txt', true],
    // A glob with a slash matches the whole relative path; * stays in one directory.
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/deep/a.ts', false],
    ['src/**/*.ts', 'src/a.ts', true],
    ['src/**/*.ts', 'src/x/y/a.ts', true],
    ['src/**/*.ts', 'lib/src/a.ts', false],
    ['**/*.test.ts', 'a.test.ts', true],
    ['**/*.test.ts', 'a/b/c.test.ts', true],
    ['src/**', 'src/a/b.txt', true],
    ['src/', 'src/a/b.txt', true],
    ['./src/*.ts', 'src/a.ts', true],
    ['/src/*.ts', 'src/a.ts', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a**b/c', 'axyb/c', true],
    ['a**b/c', 'ax/yb/c', false],
    ['{src,lib}/*.ts', 'lib/a.ts', true],
    ['\\*.ts', '*.ts', true],
    ['\\*.ts', 'a.ts', false],
    ['!*.test.ts', 'src/a.ts', true],
    ['!*.test.ts', 'src/a.test.ts', false],
  ])('%s matches %s: %s', (glob, file, expected) => {
    expect(compileGlob(glob).matches(file)).toBe(expected);
  });

  it.each([
    ['*.ts', '*.ts'],
    ['src/**/*.{ts,tsx}', '*.{ts,tsx}'],
    ['src/**', undefined],
    ['**', undefined],
    ['src/{a,b/c}.ts', undefined],
    ['*.{a,{b,c}}', undefined],
    ['c:*.ts', undefined],
    ['\\[x\\].ts', undefined],
    ['!*.ts', undefined],
  ])('the file-name glob of %s is %s', (glob, nameGlob) => {
    expect(compileGlob(glob).nameGlob).toBe(nameGlob);
  });

  it('refuses malformed globs with an example of a good one', () => {
    expect(() => compileGlob('src/[ab')).toThrow('The glob "src/[ab" is not valid: a "[" is never closed.');
    expect(() => compileGlob('*.{ts,js')).toThrow('a "{" is never closed');
    expect(() => compileGlob('a\\')).toThrow('it ends with a lone backslash');
    expect(() => compileGlob('  ')).toThrow('The glob is empty.');
  });
});
