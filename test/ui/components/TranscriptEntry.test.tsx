import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { TranscriptEntry } from '../../../src/ui/components/TranscriptEntry.js';
import { loadMarkdownLibraries } from '../../../src/ui/markdown/load-markdown.js';
import type { MarkdownLibraries } from '../../../src/ui/markdown/MarkdownView.js';
import type { TranscriptItem } from '../../../src/ui/state.js';
import { plain } from '../ink-helpers.js';

const show = (item: TranscriptItem, expanded = false, markdown?: MarkdownLibraries) =>
  plain(render(<TranscriptEntry item={item} expanded={expanded} markdown={markdown} />).lastFrame());

let markdown: MarkdownLibraries;
beforeAll(async () => {
  markdown = await loadMarkdownLibraries();
});

describe('TranscriptEntry', () => {
  it('folds reasoning to one line with its duration and first words, and shows all of it expanded', () => {
    const item: TranscriptItem = {
      id: 1,
      kind: 'reasoning',
      text: 'Look at hello.txt first.\nThen patch it.\nThen answer.',
      durationMs: 12_400,
    };
    expect(show(item)).toBe('✻ Thought for 12 s · Look at hello.txt first.');
    expect(show(item, true)).toBe('✻ Thought for 12 s\n  Look at hello.txt first.\n  Then patch it.\n  Then answer.');
  });

  it('shows a tool call with its result summary and time, and output only when expanded', () => {
    const item: TranscriptItem = {
      id: 1,
      kind: 'tool',
      name: 'read_file',
      summary: 'read src/a.ts',
      ok: true,
      resultSummary: '42 lines',
      output: '1\tconst a = 1;\n2\tconst b = 2;',
      durationMs: 35,
    };
    expect(show(item)).toBe('● read src/a.ts · 42 lines · 0.0 s');
    expect(show(item, true)).toBe('● read src/a.ts · 42 lines · 0.0 s\n  1    const a = 1;\n  2    const b = 2;');
  });

  it('previews the first lines of a command or test run, and shows all of it with details on', () => {
    const output = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\nAssertionError: 2 !== 3';
    const run: TranscriptItem = {
      id: 4,
      kind: 'tool',
      name: 'run_tests',
      summary: 'run the tests',
      ok: false,
      resultSummary: '1 failed',
      output,
      durationMs: 552,
    };
    const folded = show(run);
    expect(folded).toContain('  line 1\n  line 2\n  line 3\n  line 4\n  … +27 lines (ctrl+o shows all)');
    expect(folded).not.toContain('line 5');
    const all = show(run, true);
    expect(all).toContain('line 30');
    expect(all).toContain('AssertionError: 2 !== 3');
    expect(all).not.toContain('ctrl+o shows all');
    const command: TranscriptItem = { ...run, name: 'shell', ok: true, output: 'built in 2 s\n' };
    expect(show(command)).toContain('  built in 2 s');
  });

  it('shows why a call failed, and the user’s words when they rejected it', () => {
    const failed: TranscriptItem = {
      id: 1,
      kind: 'tool',
      name: 'grep',
      summary: 'grep foo',
      ok: false,
      output: 'The pattern is not a valid regular expression: (\nUse fixed_strings.',
      durationMs: 5,
    };
    expect(show(failed)).toContain('✗ grep foo · 0.0 s\n  The pattern is not a valid regular expression: (');
    const rejected: TranscriptItem = {
      ...failed,
      name: 'apply_patch',
      summary: 'patch hello.txt',
      resultSummary: 'rejected',
      decision: { approved: false, by: 'user', feedback: 'keep it short' },
    };
    expect(show(rejected)).toBe('✗ patch hello.txt · rejected · 0.0 s\n  ✗ rejected by you: keep it short');
  });

  it('shows a proposed command exactly, and whether it runs sandboxed', () => {
    const item: TranscriptItem = {
      id: 1,
      kind: 'proposal',
      request: {
        tool: 'shell',
        kind: 'exec',
        title: 'Run npm test',
        command: 'npm test -- --run a.test.ts',
        sandboxed: false,
      },
    };
    const frame = show(item);
    expect(frame).toContain('$ npm test -- --run a.test.ts');
    expect(frame).toContain('NOT sandboxed');
  });

  it('shows a proposed commit with its message and what it records', () => {
    const item: TranscriptItem = {
      id: 1,
      kind: 'proposal',
      request: {
        tool: 'git',
        kind: 'edit',
        title: 'Commit "Fix the greeting" (1 file, +1 -1)',
        commit: { message: 'Fix the greeting\n\nSay hello there.' },
        diff: '--- a/hello.txt\n+++ b/hello.txt\n@@ -1,1 +1,1 @@\n-hello world\n+hello there\n',
      },
    };
    expect(show(item)).toBe(
      [
        '',
        'Commit "Fix the greeting" (1 file, +1 -1)',
        '  Fix the greeting',
        '',
        '  Say hello there.',
        '',
        'Update hello.txt +1 −1',
        '1 - hello world',
        '1 + hello there',
      ].join('\n'),
    );
  });

  it('renders the answer as Markdown: headings, lists, inline code, tables and highlighted code', () => {
    const item: TranscriptItem = {
      id: 1,
      kind: 'answer',
      text: [
        '## Summary',
        '',
        'I changed **two** files &amp; ran `npm test`:',
        '',
        '1. `src/a.ts`',
        '2. [docs](https://example.com/docs)',
        '   - nested item',
        '',
        '```ts',
        'const x: number = 1;',
        '```',
        '',
        '| file | lines |',
        '|------|------:|',
        '| a.ts | 12 |',
      ].join('\n'),
    };
    expect(show(item, false, markdown)).toBe(
      [
        '',
        'Summary',
        '',
        'I changed two files & ran npm test:',
        '',
        '1. src/a.ts',
        '2. docs (https://example.com/docs)',
        '   • nested item',
        '',
        '  ts',
        '  const x: number = 1;',
        '',
        'file │ lines',
        '─────┼──────',
        'a.ts │    12',
      ].join('\n'),
    );
  });

  it('shows the raw answer when the Markdown libraries are not there', () => {
    expect(show({ id: 1, kind: 'answer', text: '**bold**' })).toBe('\n**bold**');
  });
});
