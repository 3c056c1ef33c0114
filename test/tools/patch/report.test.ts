import { describe, expect, it } from 'vitest';
import { appliedLine, changeSummary, editTitle } from '../../../tools/patch/report.js';
import type { FileChangeSummary } from '../../../tools/tool.js';

const files: FileChangeSummary[] = [
  { path: 'src/a.ts', change: 'update', added: 3, removed: 1 },
  { path: 'src/new.ts', change: 'add', added: 10, removed: 0 },
  { path: 'old.ts', change: 'delete', added: 0, removed: 4 },
  { path: 'a.ts', movedTo: 'b.ts', change: 'move', added: 0, removed: 0 },
  { path: 'c.ts', movedTo: 'd.ts', change: 'move', added: 1, removed: 2 },
];

describe('patch report', () => {
  it('gives the model one line per applied patch', () => {
    expect(appliedLine(files)).toBe(
      'Applied: M src/a.ts (+3 -1), A src/new.ts (+10), D old.ts, R a.ts -> b.ts, R c.ts -> d.ts (+1 -2)',
    );
  });

  it('sums the counts for the UI, with the right plural', () => {
    expect(changeSummary(files)).toBe('5 files, +14 -7');
    expect(changeSummary(files.slice(0, 1))).toBe('1 file, +3 -1');
  });

  it('names at most four files in the approval title', () => {
    expect(editTitle(files.slice(0, 4))).toBe('Edit src/a.ts, src/new.ts, old.ts, a.ts -> b.ts');
    expect(editTitle(files)).toBe('Edit src/a.ts, src/new.ts, old.ts, a.ts -> b.ts and 1 more');
  });

  it('says Add or Delete when every file is added or deleted', () => {
    expect(editTitle([files[1]!])).toBe('Add src/new.ts');
    expect(editTitle([files[2]!])).toBe('Delete old.ts');
    expect(editTitle(files.slice(1, 3))).toBe('Edit src/new.ts, old.ts');
  });
});
