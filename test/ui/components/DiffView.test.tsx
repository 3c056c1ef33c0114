import { Box } from 'ink';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { DiffView } from '../../../src/ui/components/DiffView.js';
import { plain } from '../ink-helpers.js';

const twoFiles = [
  'diff --git a/src/greet.ts b/src/greet.ts',
  '--- a/src/greet.ts',
  '+++ b/src/greet.ts',
  '@@ -98,3 +98,3 @@',
  ' export function greet() {',
  "-  return 'hello world';",
  "+  return 'hello there';",
  ' }',
  'diff --git a/NOTES.md b/NOTES.md',
  'new file',
  '--- /dev/null',
  '+++ b/NOTES.md',
  '@@ -0,0 +1,1 @@',
  '+日本語 notes',
  '',
].join('\n');

describe('DiffView', () => {
  it('shows each file with its counts, then numbered, signed lines', () => {
    const { lastFrame } = render(<DiffView diff={twoFiles} />);
    const lines = plain(lastFrame()).split('\n');
    expect(lines[0]).toBe('Update src/greet.ts +1 −1');
    expect(lines).toContain(' 98   export function greet() {');
    expect(lines).toContain(" 99 -   return 'hello world';");
    expect(lines).toContain(" 99 +   return 'hello there';");
    expect(lines).toContain('100   }');
    expect(lines).toContain('Add NOTES.md +1 −0');
    expect(lines).toContain('1 + 日本語 notes');
  });

  it('wraps long lines inside the content column at 60 columns, losing nothing', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const diff = `--- a/a.txt\n+++ b/a.txt\n@@ -1,1 +1,1 @@\n-short\n+${long}\n`;
    const { lastFrame } = render(
      <Box width={60}>
        <DiffView diff={diff} />
      </Box>,
    );
    const lines = plain(lastFrame()).split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(60);
    const added = lines.slice(lines.findIndex((line) => line.startsWith('1 +')));
    // Continuation rows stay indented past the gutter and sign.
    expect(added.slice(1).every((line) => line.startsWith('    '))).toBe(true);
    expect(added.map((line) => line.slice(4).trim()).join(' ')).toBe(long);
  });

  it('stops after the line budget and says how many lines it left out', () => {
    const body = Array.from({ length: 30 }, (_, i) => `+line ${i + 1}`).join('\n');
    const diff = `--- /dev/null\n+++ b/big.txt\n@@ -0,0 +1,30 @@\n${body}\n`;
    const frame = plain(render(<DiffView diff={diff} maxLines={11} />).lastFrame());
    expect(frame).toContain('10 + line 10');
    expect(frame).not.toContain('line 11');
    expect(frame).toContain('… 20 more lines not shown');
  });

  it('shows escape sequences in file contents as text, never as terminal commands', () => {
    const diff = '--- a/x\n+++ b/x\n@@ -1,1 +1,1 @@\n-a\n+\u001b]0;title\u0007b\u001b[2J\n';
    const frame = render(<DiffView diff={diff} />).lastFrame() ?? '';
    expect(frame).not.toContain('\u001b]0;');
    expect(frame).not.toContain('\u001b[2J');
    // Shown for what they are: the user approves the exact bytes.
    expect(plain(frame)).toContain('1 + \\u001B]0;title\\u0007b\\u001B[2J');
  });
});
