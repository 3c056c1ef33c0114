// The whole UI against a stand-in session: keys go in, calls come out, and
// events sent to it show up on screen.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApprovalRequest } from '../../src/agent/events.js';
import { App } from '../../src/ui/App.js';
import { loadMarkdownLibraries } from '../../src/ui/markdown/load-markdown.js';
import type { ApprovalAnswer, SlashCommandInfo, UiEvent, UiSession } from '../../src/ui/session.js';
import { themeFor } from '../../src/ui/theme.js';
import { frameWith, KEY, plain, tick } from './ink-helpers.js';

class FakeSession implements UiSession {
  readonly submitted: string[] = [];
  readonly answers: ApprovalAnswer[] = [];
  interrupts = 0;
  exits = 0;
  readonly commands: SlashCommandInfo[] = [
    { name: 'help', summary: 'commands and keys' },
    { name: 'mode', summary: 'approval mode', args: ['suggest', 'auto-edit', 'full-auto'] },
    { name: 'model', summary: 'the model and where it runs' },
  ];
  private listener: ((event: UiEvent) => void) | undefined;
  /** Like the real session, events wait for the UI to subscribe. */
  private backlog: UiEvent[] = [];
  constructor(private readonly earlier: string[] = []) {}
  subscribe(listener: (event: UiEvent) => void) {
    this.listener = listener;
    for (const event of this.backlog.splice(0)) listener(event);
    return () => (this.listener = undefined);
  }
  send(...events: UiEvent[]) {
    for (const event of events) {
      if (this.listener) this.listener(event);
      else this.backlog.push(event);
    }
  }
  submit(text: string) {
    this.submitted.push(text);
  }
  interrupt() {
    this.interrupts++;
  }
  answerApproval(answer: ApprovalAnswer) {
    this.answers.push(answer);
  }
  readonly confirms: [string, boolean][] = [];
  answerConfirm(id: string, yes: boolean) {
    this.confirms.push([id, yes]);
  }
  readonly choices: [string, number | undefined][] = [];
  answerChoice(id: string, index: number | undefined) {
    this.choices.push([id, index]);
  }
  describeAlways(request: ApprovalRequest) {
    return request.kind === 'edit' ? 'edits' : 'commands';
  }
  history() {
    return this.earlier;
  }
  filesAsked = 0;
  files() {
    this.filesAsked++;
    return Promise.resolve(['README.md', 'src/', 'src/hello.ts', 'src/ui/help-view.tsx', 'test/hello.test.ts']);
  }
  exit() {
    this.exits++;
  }
}

const views: { unmount(): void }[] = [];
afterEach(() => {
  for (const view of views.splice(0)) view.unmount();
});

function app(session = new FakeSession()) {
  let clock = 0;
  const view = render(
    <App
      session={session}
      theme={themeFor({})}
      welcome={{ version: '9.9.9', cwd: '~/repo' }}
      now={() => (clock += 100)}
      loadMarkdown={loadMarkdownLibraries}
    />,
  );
  views.push(view);
  return { ...view, session, frame: () => plain(view.lastFrame()) };
}

const edit: ApprovalRequest = {
  tool: 'apply_patch',
  kind: 'edit',
  title: 'Edit hello.txt',
  diff: 'diff --git a/hello.txt b/hello.txt\n--- a/hello.txt\n+++ b/hello.txt\n@@ -1,1 +1,1 @@\n-hello world\n+hello there\n',
};
const usage = {
  promptTokens: 0,
  cachedPromptTokens: 0,
  outputTokens: 0,
  generations: 1,
  malformedGenerations: 0,
  toolCalls: 0,
  durationMs: 0,
};

describe('App', () => {
  it('opens with the welcome header, the input and the status line', async () => {
    const { frame, session, lastFrame } = app();
    expect(frame()).toContain('gptoss-agent v9.9.9 ~/repo');
    expect(frame()).toContain('Ask gpt-oss to do something');
    expect(frame()).toContain('starting…');
    session.send(
      {
        type: 'session.info',
        info: { model: 'gpt-oss-20b', backend: 'localhost:8080', approvalMode: 'suggest', sandbox: 'n/a' },
      },
      { type: 'model.status', status: { state: 'ready' } },
    );
    const ready = await frameWith(lastFrame, 'gpt-oss-20b @ localhost:8080 · suggest · sandbox: n/a');
    expect(ready).not.toContain('starting…');
  });

  it('sends what was typed on Enter and clears the input', async () => {
    const { stdin, session, lastFrame } = app();
    stdin.write('fix the failing test');
    await frameWith(lastFrame, '› fix the failing test');
    stdin.write(KEY.enter);
    await tick();
    expect(session.submitted).toEqual(['fix the failing test']);
    expect(await frameWith(lastFrame, 'Ask gpt-oss')).toBeTruthy();
  });

  it('offers repository files for an @mention, fuzzy, and completes the chosen one', async () => {
    const { stdin, session, lastFrame, frame } = app();
    expect(session.filesAsked).toBe(0);
    stdin.write('explain @hel');
    await frameWith(lastFrame, '@src/hello.ts');
    expect(session.filesAsked).toBe(1);
    // The file named "hello…" before one whose path merely holds the letters.
    expect(frame().indexOf('@src/hello.ts')).toBeLessThan(frame().indexOf('@test/hello.test.ts'));
    expect(frame()).not.toContain('@README.md');
    stdin.write(KEY.down);
    await tick();
    stdin.write(KEY.enter);
    await frameWith(lastFrame, '› explain @test/hello.test.ts');
    expect(session.submitted).toEqual([]);
    stdin.write('please\r');
    await tick();
    expect(session.submitted).toEqual(['explain @test/hello.test.ts please']);
    expect(session.filesAsked).toBe(1);
  });

  it('treats Enter typed ahead together with text as Enter, not as part of the text', async () => {
    const { stdin, session } = app();
    stdin.write('first\rsecond\r');
    await tick();
    expect(session.submitted).toEqual(['first', 'second']);
  });

  it('sends a line typed before the terminal was raw, which arrives ending in a line feed', async () => {
    const { stdin, session } = app();
    stdin.write('change the greeting\n');
    await tick();
    expect(session.submitted).toEqual(['change the greeting']);
    stdin.write('one\r\ntwo\n');
    await tick();
    expect(session.submitted).toEqual(['change the greeting', 'one', 'two']);
  });

  it('makes new lines with Alt-Enter, Ctrl-J and a backslash before Enter, and keeps pasted line breaks', async () => {
    const { stdin, session, lastFrame } = app();
    stdin.write('one');
    stdin.write(KEY.altEnter);
    stdin.write('two\\');
    stdin.write(KEY.enter);
    stdin.write('three');
    stdin.write('\n');
    stdin.write('\u001B[200~four\rfive\u001B[201~');
    await frameWith(lastFrame, 'five');
    stdin.write(KEY.enter);
    await tick();
    expect(session.submitted).toEqual(['one\ntwo\nthree\nfour\nfive']);
  });

  it('recalls earlier prompts with up and down', async () => {
    const { stdin, lastFrame } = app(new FakeSession(['first prompt', 'second prompt']));
    stdin.write('draft');
    stdin.write(KEY.up);
    await frameWith(lastFrame, '› second prompt');
    stdin.write(KEY.up);
    await frameWith(lastFrame, '› first prompt');
    stdin.write(KEY.down);
    stdin.write(KEY.down);
    await frameWith(lastFrame, '› draft');
  });

  it('completes slash commands: a menu while typing, Tab completes, Enter runs', async () => {
    const { stdin, session, lastFrame } = app();
    stdin.write('/mo');
    const menu = await frameWith(lastFrame, '/model  the model and where it runs');
    expect(menu).toContain('/mode   approval mode');
    expect(menu).not.toContain('commands and keys');
    stdin.write(KEY.down);
    stdin.write(KEY.tab);
    await frameWith(lastFrame, '› /model');
    stdin.write(KEY.enter);
    await tick();
    expect(session.submitted).toEqual(['/model']);
    stdin.write('/mode f');
    await frameWith(lastFrame, 'full-auto');
    stdin.write(KEY.enter);
    await tick();
    expect(session.submitted).toEqual(['/model', '/mode full-auto']);
  });

  it('streams reasoning, prints the proposed diff, and answers the approval with y', async () => {
    const { stdin, session, lastFrame } = app();
    session.send(
      { type: 'turn.started', turn: 1, prompt: 'change the greeting' },
      { type: 'reasoning.delta', delta: 'The greeting lives in hello.txt.' },
    );
    const thinking = await frameWith(lastFrame, 'The greeting lives in hello.txt.');
    expect(thinking).toContain('thinking');
    expect(thinking).toContain('Thinking…');
    session.send(
      { type: 'tool.call', id: 'c1', name: 'apply_patch', arguments: {}, summary: 'patch hello.txt' },
      { type: 'approval.requested', id: 'c1', request: edit },
    );
    const asking = await frameWith(lastFrame, 'Apply this change?');
    expect(asking).toContain('Thought for');
    expect(asking).toContain('1 - hello world');
    expect(asking).toContain('1 + hello there');
    expect(asking).not.toContain('Ask gpt-oss');
    stdin.write('y');
    await tick();
    expect(session.answers).toEqual([{ approved: true }]);
  });

  it('interrupts with Esc while a turn runs, and not otherwise', async () => {
    const { stdin, session, lastFrame } = app();
    stdin.write(KEY.escape);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(session.interrupts).toBe(0);
    session.send({ type: 'turn.started', turn: 1, prompt: 'go' });
    await frameWith(lastFrame, 'esc to interrupt');
    stdin.write(KEY.escape);
    await vi.waitFor(() => expect(session.interrupts).toBe(1), { timeout: 10_000 });
  });

  it('renders the final answer as Markdown', async () => {
    const { session, lastFrame } = app();
    session.send(
      { type: 'turn.started', turn: 1, prompt: 'summarise' },
      { type: 'answer.delta', delta: '# Result\n\n- **bold** point\n' },
      { type: 'turn.completed', stopReason: 'answer', answer: '', usage },
    );
    // The renderer loads with the first answer; until then the answer waits.
    const frame = await frameWith(lastFrame, '• bold point');
    expect(frame).toContain('Result');
    expect(frame).not.toContain('**');
  });

  it('exits on a second Ctrl-C, or on Ctrl-D with an empty input', async () => {
    const { stdin, session, lastFrame } = app();
    stdin.write('some text');
    stdin.write(KEY.ctrlC);
    await frameWith(lastFrame, 'Ask gpt-oss');
    stdin.write(KEY.ctrlC);
    await frameWith(lastFrame, 'Press Ctrl-C again to exit');
    expect(session.exits).toBe(0);
    stdin.write(KEY.ctrlC);
    await tick();
    expect(session.exits).toBe(1);
    stdin.write(KEY.ctrlD);
    await tick();
    expect(session.exits).toBe(2);
  });

  it('answers a yes/no question with the first key pressed once it shows', async () => {
    const { stdin, session, lastFrame } = app();
    session.send({ type: 'confirm.requested', id: 'q1', title: 'Download gpt-oss-20b?', body: 'About 11.3 GB.' });
    await frameWith(lastFrame, 'Download gpt-oss-20b?');
    stdin.write('y');
    await tick();
    expect(session.confirms).toEqual([['q1', true]]);
  });

  it('asks to choose in place of the input: arrows move, enter chooses, esc cancels', async () => {
    const { stdin, session, lastFrame } = app();
    stdin.write('typed before');
    const options = [
      { label: 'fix the parser', detail: 'gpt-oss-20b · 5 min ago' },
      { label: 'add a flag', detail: 'gpt-oss-20b · 2 h ago' },
    ];
    session.send({
      type: 'choice.requested',
      id: 'c1',
      title: 'Continue which session?',
      options,
      cancel: 'new session',
    });
    const asking = await frameWith(lastFrame, 'Continue which session?');
    expect(asking).toContain('› fix the parser · gpt-oss-20b · 5 min ago');
    expect(asking).toContain('esc new session');
    expect(asking).not.toContain('typed before');
    // Keys reach a dialog as soon as it is on screen.
    stdin.write(KEY.down);
    await frameWith(lastFrame, '› add a flag');
    stdin.write(KEY.enter);
    await tick();
    expect(session.choices).toEqual([['c1', 1]]);
    session.send({ type: 'choice.answered', id: 'c1' });
    await frameWith(lastFrame, 'typed before');
    session.send({ type: 'choice.requested', id: 'c2', title: 'Again?', options, cancel: 'new session' });
    await frameWith(lastFrame, 'Again?');
    stdin.write(KEY.escape);
    await tick();
    expect(session.choices).toEqual([
      ['c1', 1],
      ['c2', undefined],
    ]);
    expect(session.interrupts).toBe(0);
  });

  it('shows reasoning in full after Ctrl-O', async () => {
    const { stdin, session, lastFrame } = app();
    session.send(
      { type: 'turn.started', turn: 1, prompt: 'think' },
      { type: 'reasoning.delta', delta: 'first thought\nsecond thought' },
      { type: 'turn.completed', stopReason: 'answer', answer: '', usage },
    );
    const folded = await frameWith(lastFrame, 'Thought for');
    expect(folded).not.toContain('second thought');
    stdin.write(KEY.ctrlO);
    await frameWith(lastFrame, 'second thought');
  });
});
