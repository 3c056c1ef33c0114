// `review` runs from the pre-commit hook, at the user's terminal. Its report quotes the
// repository (file names, the changed lines under a finding) and the model (titles,
// explanations, suggestions). Escape sequences in any of them reach the terminal as text;
// the report's own colours stay.
import { describe, expect, it } from 'vitest';
import { renderClean, painter } from '../../src/modes/terminal-style.js';
import { loadChanges } from '../../src/review/changes.js';
import { renderReview } from '../../src/review/render-terminal.js';
import type { ReviewResult } from '../../src/review/run-review.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

/** Clipboard write, screen clear, C1 CSI, a title change. */
const PLANTED = ['\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007', '\u001b[2J', '\u009b2J', '\u001b]0;owned\u001b\\'];

/** Anything but an SGR colour sequence (ours) that a terminal would act on. */
function obeyed(text: string): boolean {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text.replace(/\u001b\[[0-9;]*m/g, ''));
}

describe('review report on a terminal', () => {
  it.each(PLANTED)('shows %j in changed lines, a file name and the findings as text', async (sequence) => {
    const repo = makeTempRepo({ 'a.ts': 'export const a = 1;\n' });
    try {
      const name = `b${sequence.replace(/[\\/]/g, '')}.ts`;
      repo.write('a.ts', `export const a = 1;\n// ${sequence} note\nexport const b = 2;\n`);
      repo.write(name, 'x\n');
      repo.git('add', '-A');
      const changes = await loadChanges(repo.root, { kind: 'staged' }, new AbortController().signal);
      const result: ReviewResult = {
        target: { kind: 'staged' },
        files: changes.files.map((file) => ({
          path: file.path,
          status: 'added',
          binary: false,
          added: 1,
          removed: 0,
          reviewed: true,
        })),
        findings: [
          {
            file: 'a.ts',
            line: 2,
            endLine: 3,
            severity: 'high',
            category: 'bug',
            title: `Bad ${sequence} title`,
            explanation: `Because ${sequence} reasons.`,
            suggestion: `Do ${sequence} this.`,
            location: 'changed',
          },
        ],
        rejected: [{ file: name, line: 1, title: `t${sequence}`, reason: 'outside' }],
        problems: [`problem ${sequence}`],
        complete: true,
        aborted: false,
        batches: 1,
        changes: changes.files,
      };
      const colours = painter({ isTTY: true }, {});
      const shown = renderClean((paint) => renderReview(result, 'high', paint), colours);
      expect(obeyed(shown)).toBe(false);
      // Still the report, coloured: the finding's place in bold, the changed line in it.
      expect(shown).toContain(colours('bold', 'a.ts:2-3'));
      expect(shown).toContain('note');
      // Without the cleaning, the same report would carry the sequence.
      expect(obeyed(renderReview(result, 'high', colours))).toBe(true);
    } finally {
      repo.remove();
    }
  });
});
