import { describe, expect, it } from 'vitest';
import { looksLikeTestPath, testFileWarning } from '../../../tools/patch/test-paths.js';

describe('looksLikeTestPath', () => {
  it.each([
    ['test/a.ts', true],
    ['pkg/tests/helpers.py', true],
    ['src/__tests__/x.tsx', true],
    ['src/a.test.ts', true],
    ['src/a.spec.js', true],
    ['pkg/x_test.go', true],
    ['test_mod.py', true],
    ['pkg/mod_test.py', true],
    ['src/a.ts', false],
    ['src/testing.ts', false],
    ['src/latest/a.ts', false],
    ['test.ts', false],
    ['contest_entry.py', false],
    ['src/attest.go', false],
  ])('%s → %s', (path, expected) => {
    expect(looksLikeTestPath(path)).toBe(expected);
  });

  it('builds the warning from paths and move destinations, once each', () => {
    expect(
      testFileWarning([
        { path: 'src/a.ts', change: 'move', movedTo: 'test/a.ts', added: 0, removed: 0 },
        { path: 'a.spec.ts', change: 'update', added: 1, removed: 1 },
        { path: 'a.spec.ts', change: 'update', added: 1, removed: 1 },
      ]),
    ).toBe('touches test files: test/a.ts, a.spec.ts');
    expect(testFileWarning([{ path: 'src/a.ts', change: 'add', added: 1, removed: 0 }])).toBeUndefined();
  });
});
