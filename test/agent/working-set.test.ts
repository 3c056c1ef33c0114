import { describe, expect, it } from 'vitest';
import { WorkingSet } from '../../src/agent/working-set.js';
import type { AppliedChangeSet } from '../../tools/changes/file-changes.js';

describe('the working set', () => {
  it('keeps the paths of recent calls and changes, most recent first, without repeats', () => {
    const set = new WorkingSet();
    set.noteCall({ path: 'src/a.ts' });
    set.noteCall({ pattern: 'x', path: './src/' });
    set.noteCall({ name: 'f', file: 'lib/b.py' });
    set.noteCall({ path: 'src/a.ts' });
    set.noteCall({ path: '.' });
    set.noteCall('not an object');
    const changes: AppliedChangeSet = {
      changes: [],
      createdDirs: [],
      before: [],
      after: [
        { path: 'gone.txt', existed: false },
        { path: 'src/new.ts', existed: true },
      ],
    };
    set.noteChanges(changes);
    expect(set.recent()).toEqual(['src/new.ts', 'src/a.ts', 'lib/b.py', 'src']);
  });

  it('forgets the oldest paths', () => {
    const set = new WorkingSet();
    for (let i = 0; i < 20; i++) set.noteCall({ path: `f${i}.ts` });
    expect(set.recent()).toHaveLength(8);
    expect(set.recent()[0]).toBe('f19.ts');
  });
});
