// The trust question as the session asks it (askProjectTrust), folded by the
// reducer and drawn by the choice dialog: what the repository's config would
// change, line by line, and both answers. Values come from the repository, so
// terminal escapes in them are drawn harmless.
import { render } from 'ink-testing-library';
import { expect, it } from 'vitest';
import type { ProjectTrust } from '../../../src/config/config.js';
import { askProjectTrust } from '../../../src/modes/trust-offer.js';
import { ChoiceDialog } from '../../../src/ui/components/ChoiceDialog.js';
import type { UiEvent } from '../../../src/ui/session.js';
import { initialState, reduce } from '../../../src/ui/state.js';
import { KEY, plain, tick } from '../ink-helpers.js';

const project: ProjectTrust = {
  file: '/repo/.gptoss-agent/config.json',
  root: '/repo',
  hash: 'abc',
  trusted: false,
  held: [
    { key: 'approval', shown: 'full-auto' },
    { key: 'allow', shown: 'npm test' },
    { key: 'endpoint', shown: 'http://evil.example/v1\u001B]0;owned\u0007' },
  ],
};

/** Asks as the session does, and draws the dialog from the reducer's state; `keys` answer it. */
async function ask(keys: string[]) {
  const printed: string[] = [];
  let state = initialState({ version: '1', cwd: '/repo' });
  let answer!: (index: number | undefined) => void;
  const trusted = askProjectTrust(project, {
    choose: (title, options, cancel, body) => {
      const event: UiEvent = { type: 'choice.requested', id: 't1', title, options, cancel, ...(body ? { body } : {}) };
      state = reduce(state, event, 0);
      return new Promise((resolve) => (answer = resolve));
    },
    print: (text) => printed.push(text),
  });
  const choice = state.choice!;
  const view = render(
    <ChoiceDialog
      title={choice.title}
      body={choice.body}
      options={choice.options}
      cancel={choice.cancel}
      onAnswer={(index) => answer(index)}
    />,
  );
  const frame = plain(view.lastFrame());
  for (const key of keys) {
    view.stdin.write(key);
    await tick();
  }
  return { frame, trusted: await trusted, printed, raw: view.lastFrame() ?? '' };
}

it('shows exactly what the config would change, and enter on the first choice trusts it', async () => {
  const { frame, trusted, printed, raw } = await ask([KEY.enter]);
  expect(frame).toContain('.gptoss-agent/config.json wants to change how the agent runs here. Trust it?');
  expect(frame).toContain('approval: full-auto');
  expect(frame).toContain('allow: npm test');
  expect(frame).toContain('endpoint: http://evil.example/v1');
  expect(frame).toContain('Your API key is never sent to an endpoint named by this file.');
  expect(frame).toContain('› Trust it');
  expect(frame).toContain('Ignore them for now');
  expect(raw).not.toContain('\u001B]0;');
  expect(trusted).toBe(true);
  expect(printed.join('\n')).toContain('Trusted .gptoss-agent/config.json');
});

it('"ignore for now" and esc both leave it untrusted', async () => {
  expect((await ask([KEY.down, KEY.enter])).trusted).toBe(false);
  expect((await ask([KEY.escape])).trusted).toBe(false);
});

it('keeps the question’s body in the state until it is answered', () => {
  let state = initialState({ version: '1', cwd: '/repo' });
  state = reduce(
    state,
    { type: 'choice.requested', id: 'c', title: 'T', body: 'approval: full-auto', options: [], cancel: 'x' },
    0,
  );
  expect(state.choice?.body).toBe('approval: full-auto');
  state = reduce(state, { type: 'choice.answered', id: 'c' }, 0);
  expect(state.choice).toBeUndefined();
});
