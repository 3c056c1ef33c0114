// How a changed file is shown to the model: numbered as in the new version,
// whole when small, as its changed parts when large.
import { afterEach, describe, expect, it } from 'vitest';
import { renderListing, WHOLE_FILE_MAX_LINES } from '../../src/review/listing.js';
import { numberedText, stagedRepo } from './staged-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('renderListing', () => {
  it('shows a small file whole, "+" on added lines and removed lines in place without a number', async () => {
    const staged = await stagedRepo(
      { 'a.ts': 'one\ntwo\nthree\nfour\n' },
      (r) => r.write('a.ts', 'one\nTWO\nthree\nfour\nfive\n'),
      cleanups,
    );
    const listing = renderListing(staged.file('a.ts'));
    expect(listing.whole).toBe(true);
    expect(listing.text).toBe(
      ['## a.ts (modified, +2 -1)', '1   one', '  - two', '2 + TWO', '3   three', '4   four', '5 + five'].join('\n'),
    );
  });

  it('shows removed lines at the end of a file after the last line', async () => {
    const staged = await stagedRepo({ 'a.ts': 'keep\ndrop\n' }, (r) => r.write('a.ts', 'keep\n'), cleanups);
    expect(renderListing(staged.file('a.ts')).text).toBe('## a.ts (modified, +0 -1)\n1   keep\n  - drop');
  });

  it('shows a large file as its changed parts, with the enclosing function git names', async () => {
    // Indented lines, so git's default rule names the unindented function line as the enclosing one.
    const lines = numberedText(WHOLE_FILE_MAX_LINES + 50, '  line').split('\n');
    lines[199] = 'function middle() {';
    const before = lines.join('\n');
    const staged = await stagedRepo(
      { 'big.js': before },
      (r) => r.write('big.js', before.replace('  line 205\n', '  line 205 changed\n')),
      cleanups,
    );
    const listing = renderListing(staged.file('big.js'));
    expect(listing.whole).toBe(false);
    expect(listing.text).toContain('## big.js (modified, +1 -1) [changed parts; read_file for the rest]');
    expect(listing.text).toContain('@@ in: function middle() {');
    expect(listing.text).toContain('205 +   line 205 changed');
    expect(listing.text).toContain('    -   line 205\n');
    expect(listing.text).not.toContain('line 100');
  });

  it('names a deleted file and lists what it held', async () => {
    const staged = await stagedRepo({ 'gone.ts': 'a\nb\n' }, (r) => r.git('rm', '-q', 'gone.ts'), cleanups);
    expect(renderListing(staged.file('gone.ts')).text).toBe(
      '## gone.ts (deleted, 2 lines) [removed lines]\n@@\n  - a\n  - b',
    );
  });
});
