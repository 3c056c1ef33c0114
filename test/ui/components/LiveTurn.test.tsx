import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LiveTurn } from '../../../src/ui/components/LiveTurn.js';
import type { LiveTurn as LiveTurnState } from '../../../src/ui/state.js';
import { plain } from '../ink-helpers.js';

const live = (turn: LiveTurnState, options: { expanded?: boolean; waiting?: boolean; maxRows?: number } = {}) =>
  plain(
    render(
      <LiveTurn
        turn={turn}
        now={3_500}
        columns={60}
        maxRows={options.maxRows ?? 20}
        expanded={options.expanded ?? false}
        waiting={options.waiting ?? false}
      />,
    ).lastFrame(),
  );

const reasoning = Array.from({ length: 12 }, (_, i) => `step ${i + 1}`).join('\n');

describe('LiveTurn', () => {
  it('streams the latest lines of reasoning, labelled, with a spinner and the elapsed time', () => {
    const frame = live({
      startedAt: 1_000,
      interrupting: false,
      stream: { kind: 'reasoning', text: reasoning, startedAt: 1_000 },
    });
    const lines = frame.split('\n');
    expect(lines[0]).toBe('  thinking (latest lines)');
    expect(lines.slice(1, 6)).toEqual(['  step 8', '  step 9', '  step 10', '  step 11', '  step 12']);
    expect(lines[6]).toMatch(/^. Thinking… \(2\.5 s · esc to interrupt\)$/);
  });

  it('shows more reasoning when details are on, still within the rows it has', () => {
    const frame = live(
      { startedAt: 0, interrupting: false, stream: { kind: 'reasoning', text: reasoning, startedAt: 0 } },
      { expanded: true, maxRows: 8 },
    );
    expect(frame).toContain('  step 5\n');
    expect(frame).not.toContain('step 4');
  });

  it('names the running tool, and says when it is stopping', () => {
    const tool = { id: 'c1', name: 'grep', summary: 'grep "TODO" in src', startedAt: 0, proposed: false };
    expect(live({ startedAt: 0, interrupting: false, tool })).toMatch(
      /grep "TODO" in src \(3\.5 s · esc to interrupt\)/,
    );
    expect(live({ startedAt: 0, interrupting: true, tool })).toMatch(/Stopping… \(3\.5 s\)/);
  });

  it('shows a task’s label and its progress line under it', () => {
    const frame = render(
      <LiveTurn
        turn={{ startedAt: 0, interrupting: false }}
        label="Downloading gpt-oss-20b…"
        detail="[####----------------]  20%  2.4 GB / 12.1 GB  40.0 MB/s  4m03s left"
        now={3_500}
        columns={100}
        maxRows={20}
        expanded={false}
        waiting={false}
      />,
    ).lastFrame();
    expect(plain(frame).split('\n')).toEqual([
      expect.stringMatching(/^. Downloading gpt-oss-20b… \(3\.5 s · esc to interrupt\)$/),
      '  [####----------------]  20%  2.4 GB / 12.1 GB  40.0 MB/s  4m03s left',
    ]);
  });

  it('hides the spinner while an approval waits', () => {
    expect(live({ startedAt: 0, interrupting: false }, { waiting: true })).toBe('');
  });
});
