// Places in a runner's report, seen from the repository root.
import { describe, expect, it } from 'vitest';
import { excerpt, firstProjectFrame, isProjectPath, relativeToRoot } from '../../../tools/test-runners/locations.js';

describe('report locations', () => {
  it('makes paths in the project relative and leaves the others absolute', () => {
    expect(relativeToRoot('/srv/proj', '/srv/proj/src/a.test.ts')).toBe('src/a.test.ts');
    expect(relativeToRoot('/srv/proj', 'file:///srv/proj/src/a.test.ts')).toBe('src/a.test.ts');
    expect(relativeToRoot('/srv/proj', './src/a.test.ts')).toBe('src/a.test.ts');
    expect(relativeToRoot('/srv/proj', '/srv/other/a.ts')).toBe('/srv/other/a.ts');
    expect(relativeToRoot('/srv/proj', '/srv/proj-old/a.ts')).toBe('/srv/proj-old/a.ts');
  });

  it('cuts an excerpt from a failure text with a long run of blank lines (the tested code writes it) without hanging', () => {
    // The trailing-space pattern took minutes on 400,000 of them. A hang is the failure.
    const text = `boom${'\n'.repeat(400_000)}    at /srv/proj/a.test.ts:3:1\n\n`;
    expect(excerpt('/srv/proj', text, 2)).toBe(`boom\n\n… (399999 more lines)`);
  });

  it('counts a directory whose name starts with two dots as part of the project', () => {
    expect(relativeToRoot('/srv/proj', '/srv/proj/..gen/a.test.ts')).toBe('..gen/a.test.ts');
    expect(isProjectPath('/srv/proj', '/srv/proj/..gen/a.test.ts')).toBe(true);
    expect(firstProjectFrame('/srv/proj', '    at /srv/lib/x.js:1:1\n    at /srv/proj/..gen/a.test.ts:12:5')).toEqual({
      file: '..gen/a.test.ts',
      line: 12,
      column: 5,
    });
  });

  it('does not count code outside the project, its dependencies or the runtime', () => {
    expect(isProjectPath('/srv/proj', '/srv/proj/src/a.ts')).toBe(true);
    expect(isProjectPath('/srv/proj', 'src/a.ts')).toBe(true);
    expect(isProjectPath('/srv/proj', '../other/a.ts')).toBe(false);
    expect(isProjectPath('/srv/proj', '/srv/other/a.ts')).toBe(false);
    expect(isProjectPath('/srv/proj', '/srv/proj/node_modules/x/index.js')).toBe(false);
    expect(isProjectPath('/srv/proj', 'node:internal/process')).toBe(false);
    expect(isProjectPath('/srv/proj', 'ext:cli/40_test.js')).toBe(false);
  });
});
