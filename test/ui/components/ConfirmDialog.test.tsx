import { render } from 'ink-testing-library';
import { expect, it } from 'vitest';
import { ConfirmDialog } from '../../../src/ui/components/ConfirmDialog.js';
import { plain, tick } from '../ink-helpers.js';

it('asks a yes/no question and reports the answer', async () => {
  const answers: boolean[] = [];
  const view = render(
    <ConfirmDialog
      title="No model found. Download gpt-oss-20b (12 GB)?"
      body="It is saved under ~/.cache."
      onAnswer={(yes) => answers.push(yes)}
    />,
  );
  expect(plain(view.lastFrame())).toContain('No model found. Download gpt-oss-20b (12 GB)?');
  expect(plain(view.lastFrame())).toContain('y yes n no');
  view.stdin.write('x');
  view.stdin.write('n');
  await tick();
  expect(answers).toEqual([false]);
});

it('answers once, with a y or n that starts a burst, never with one inside other words', async () => {
  const answers: boolean[] = [];
  const view = render(<ConfirmDialog title="Download?" onAnswer={(yes) => answers.push(yes)} />);
  view.stdin.write('hey');
  await tick();
  expect(answers).toEqual([]);
  view.stdin.write('yn');
  view.stdin.write('n');
  await tick();
  expect(answers).toEqual([true]);
});
