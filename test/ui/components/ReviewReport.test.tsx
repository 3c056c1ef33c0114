import { render } from 'ink-testing-library';
import { expect, it } from 'vitest';
import { ReviewReport } from '../../../src/ui/components/ReviewReport.js';
import type { ReviewView } from '../../../src/ui/review-view.js';
import { plain } from '../ink-helpers.js';

const review: ReviewView = {
  heading: 'Reviewed the staged changes: 1 of 2 files',
  files: [{ line: 'modified src/math.ts  +1 -1' }, { line: 'added    logo.png', note: 'binary: not reviewed' }],
  problems: [],
  byFile: [
    {
      file: 'src/math.ts',
      findings: [
        {
          severity: 'high',
          category: 'bug',
          place: 'src/math.ts:3',
          outside: false,
          title: 'Loop reads past the end',
          explanation: 'i <= items.length reads one element too many.',
          excerpt: [
            { line: 2, mark: ' ', text: '  let total = 0;' },
            { line: 3, mark: '+', text: '  for (let i = 0; i <= items.length; i++) total += items[i];' },
          ],
          suggestion: '  for (let i = 0; i < items.length; i++) total += items[i];',
        },
      ],
    },
  ],
  setAside: ['README.md:1 Typo: outside the changed lines'],
  verdict: '1 finding: 1 high.',
  complete: false,
};

it('shows the files, then the findings by file with the lines they point at, then the verdict', () => {
  const frame = plain(render(<ReviewReport review={review} />).lastFrame());
  const lines = frame.split('\n');
  expect(lines).toContain('Reviewed the staged changes: 1 of 2 files');
  expect(lines).toContain('  added    logo.png — binary: not reviewed');
  const at = lines.indexOf('src/math.ts');
  expect(lines.slice(at + 1, at + 7)).toEqual([
    '  HIGH   bug src/math.ts:3 Loop reads past the end',
    '      i <= items.length reads one element too many.',
    '      2 │     let total = 0;',
    '      3 │ +   for (let i = 0; i <= items.length; i++) total += items[i];',
    '      Suggestion:',
    '          for (let i = 0; i < items.length; i++) total += items[i];',
  ]);
  expect(frame).toContain('Set aside (1): findings that did not point into the change:\n  README.md:1 Typo');
  expect(lines.at(-1)).toBe('1 finding: 1 high. The review is incomplete (see above).');
});
