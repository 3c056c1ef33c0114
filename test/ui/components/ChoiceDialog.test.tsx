import { render } from 'ink-testing-library';
import { expect, it, vi } from 'vitest';
import { CHOICE_ROWS, ChoiceDialog } from '../../../src/ui/components/ChoiceDialog.js';
import { frameWith, KEY, plain, tick } from '../ink-helpers.js';

const options = Array.from({ length: 20 }, (_, i) => ({ label: `session ${i + 1}`, detail: `${i + 1} h ago` }));

it('shows a window of a long list around the selection, and wraps at the ends', async () => {
  const answers: (number | undefined)[] = [];
  const view = render(
    <ChoiceDialog
      title="Continue which session?"
      options={options}
      cancel="start a new session"
      onAnswer={(i) => answers.push(i)}
    />,
  );
  const frame = () => plain(view.lastFrame());
  expect(frame()).toContain('› session 1 · 1 h ago');
  expect(frame()).toContain(`session ${CHOICE_ROWS}`);
  expect(frame()).not.toContain(`session ${CHOICE_ROWS + 1} `);
  expect(frame()).toContain(`↓ ${20 - CHOICE_ROWS} more`);
  expect(frame()).toContain('↑/↓ move enter choose esc start a new session');
  for (let i = 0; i < 10; i++) view.stdin.write(KEY.down);
  // Frames are waited for, not assumed after one tick: a loaded machine draws later.
  expect(await frameWith(view.lastFrame, '› session 11')).toMatch(/↑ \d+ more/);
  view.stdin.write(KEY.up);
  await frameWith(view.lastFrame, '› session 10');
  view.stdin.write(KEY.enter);
  await vi.waitFor(() => expect(answers).toEqual([9]), { timeout: 10_000 });
});

it('goes from the first row up to the last', async () => {
  const answers: (number | undefined)[] = [];
  const view = render(
    <ChoiceDialog title="Which?" options={options} cancel="cancel" onAnswer={(i) => answers.push(i)} />,
  );
  view.stdin.write(KEY.up);
  expect(await frameWith(view.lastFrame, '› session 20')).not.toMatch(/↓ \d+ more/);
  view.stdin.write(KEY.enter);
  await vi.waitFor(() => expect(answers).toEqual([19]), { timeout: 10_000 });
});

it('esc answers with no choice', async () => {
  const answers: (number | undefined)[] = [];
  const view = render(
    <ChoiceDialog title="Which?" options={options} cancel="cancel" onAnswer={(i) => answers.push(i)} />,
  );
  view.stdin.write(KEY.escape);
  await vi.waitFor(() => expect(answers).toEqual([undefined]), { timeout: 10_000 });
});

it('applies each key of a burst to what the previous one left, in one chunk or one by one', async () => {
  const answers: (number | undefined)[] = [];
  const chunk = render(
    <ChoiceDialog title="Which?" options={options} cancel="cancel" onAnswer={(i) => answers.push(i)} />,
  );
  chunk.stdin.write(KEY.down + KEY.down + KEY.enter);
  await tick();
  const keys = render(
    <ChoiceDialog title="Which?" options={options} cancel="cancel" onAnswer={(i) => answers.push(i)} />,
  );
  keys.stdin.write(KEY.down);
  keys.stdin.write(KEY.enter);
  keys.stdin.write(KEY.down);
  keys.stdin.write(KEY.enter);
  await vi.waitFor(() => expect(answers).toEqual([2, 1]), { timeout: 10_000 });
});
