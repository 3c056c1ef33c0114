import { render } from 'ink-testing-library';
import { expect, it } from 'vitest';
import { CHOICE_ROWS, ChoiceDialog } from '../../../src/ui/components/ChoiceDialog.js';
import { KEY, plain, tick } from '../ink-helpers.js';

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
  await tick();
  expect(frame()).toContain('› session 11');
  expect(frame()).toMatch(/↑ \d+ more/);
  view.stdin.write(KEY.up);
  await tick();
  expect(frame()).toContain('› session 10');
  view.stdin.write(KEY.enter);
  await tick();
  expect(answers).toEqual([9]);
});

it('goes from the first row up to the last', async () => {
  const answers: (number | undefined)[] = [];
  const view = render(
    <ChoiceDialog title="Which?" options={options} cancel="cancel" onAnswer={(i) => answers.push(i)} />,
  );
  view.stdin.write(KEY.up);
  await tick();
  expect(plain(view.lastFrame())).toContain('› session 20');
  expect(plain(view.lastFrame())).not.toMatch(/↓ \d+ more/);
  view.stdin.write(KEY.enter);
  await tick();
  expect(answers).toEqual([19]);
});

it('esc answers with no choice', async () => {
  const answers: (number | undefined)[] = [];
  const view = render(
    <ChoiceDialog title="Which?" options={options} cancel="cancel" onAnswer={(i) => answers.push(i)} />,
  );
  view.stdin.write(KEY.escape);
  await tick();
  await tick();
  expect(answers).toEqual([undefined]);
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
  await tick();
  expect(answers).toEqual([2, 1]);
});
