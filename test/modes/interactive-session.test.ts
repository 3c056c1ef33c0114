// The session behind the interactive UI, with the real agent loop and tools
// in a temporary repository and a scripted model.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Agent } from '../../src/agent/loop.js';
import type { BackendStatus, ModelBackend } from '../../src/model/backend.js';
import { InteractiveSession, type SetUp } from '../../src/modes/interactive-session.js';
import { PromptHistory } from '../../src/modes/prompt-history.js';
import type { UiEvent } from '../../src/ui/session.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { Workspace } from '../../tools/workspace.js';
import { ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const patch = (from: string, to: string): ScriptedStep => ({
  reasoning: 'Change the greeting.',
  toolCalls: [
    {
      name: 'apply_patch',
      arguments: { input: `*** Begin Patch\n*** Update File: hello.txt\n@@\n-${from}\n+${to}\n*** End Patch` },
    },
  ],
});

interface Options {
  firstPrompt?: string;
  backend?: ModelBackend;
  setUp?: SetUp;
}

async function session(steps: ScriptedStep[], options: Options = {}) {
  const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
  const state = makeTempRepo({}, { git: false });
  cleanups.push(
    () => repo.remove(),
    () => state.remove(),
  );
  const backend = options.backend ?? new ScriptedBackend(steps);
  let agent: Agent | undefined;
  const gitChecks: string[] = [];
  const setUp: SetUp =
    options.setUp ??
    (async (hooks) => {
      const workspace = await Workspace.open(repo.root);
      agent = new Agent({
        backend,
        tools: new ToolRegistry(defaultTools()),
        workspace,
        instructions: 'You are a test.',
        approvalMode: 'suggest',
        ...hooks,
      });
      return { agent, backend, workspace, loaded: { config: {}, sources: {}, warnings: [], files: { user: '' } } };
    });
  const subject = new InteractiveSession({
    setUp,
    history: new PromptHistory(path.join(state.root, 'history.jsonl')),
    sandbox: 'n/a',
    gitStatus: async (root) => {
      gitChecks.push(root);
      return { branch: 'main', dirty: gitChecks.length > 1 };
    },
    ...(options.firstPrompt ? { firstPrompt: options.firstPrompt } : {}),
  });
  const events: UiEvent[] = [];
  subject.subscribe((event) => events.push(event));
  subject.start();
  await vi.waitFor(() => expect(events.some((event) => event.type === 'session.info')).toBe(true));
  const of = <T extends UiEvent['type']>(type: T) =>
    events.filter((event): event is Extract<UiEvent, { type: T }> => event.type === type);
  const turnsDone = (count: number) => vi.waitFor(() => expect(of('turn.completed')).toHaveLength(count));
  const messages = () => of('message').map((event) => event.text);
  const hello = () => readFileSync(path.join(repo.root, 'hello.txt'), 'utf8');
  return { subject, events, of, turnsDone, messages, hello, backend, agent: () => agent!, gitChecks, repo };
}

describe('the interactive session', () => {
  it('reports the model, backend and modes once set up, then runs a prompt as a turn', async () => {
    const { subject, of, turnsDone } = await session([{ reasoning: 'Easy.', answer: 'Hi there.' }]);
    expect(of('session.info')[0]!.info).toEqual({
      model: 'scripted',
      backend: 'scripted',
      approvalMode: 'suggest',
      reasoningEffort: 'medium',
      sandbox: 'n/a',
    });
    expect(of('model.status')[0]!.status).toEqual({ state: 'ready' });
    subject.submit('say hi');
    await turnsDone(1);
    expect(
      of('reasoning.delta')
        .map((event) => event.delta)
        .join(''),
    ).toBe('Easy.');
    expect(of('turn.completed')[0]).toMatchObject({ stopReason: 'answer', answer: 'Hi there.' });
    expect(subject.history()).toEqual(['say hi']);
  });

  it('applies an approved patch, shows its diff, and refreshes the git state', async () => {
    const { subject, of, turnsDone, hello, gitChecks } = await session([
      patch('hello world', 'hello there'),
      { answer: 'Done.' },
    ]);
    subject.submit('change the greeting');
    await vi.waitFor(() => expect(of('approval.requested')).toHaveLength(1));
    expect(of('approval.requested')[0]!.request.diff).toContain('+hello there');
    subject.answerApproval({ approved: true });
    await turnsDone(1);
    expect(hello()).toBe('hello there\n');
    expect(of('changes.applied')[0]!.diff).toContain('-hello world\n+hello there');
    await vi.waitFor(() => expect(of('git.status').at(-1)?.git).toEqual({ branch: 'main', dirty: true }));
    expect(gitChecks.length).toBeGreaterThanOrEqual(2);
  });

  it('sends the user’s words with a rejection to the model and leaves the file alone', async () => {
    const { subject, of, turnsDone, hello, backend } = await session([
      patch('hello world', 'bye'),
      { answer: 'Kept it.' },
    ]);
    subject.submit('change the greeting');
    await vi.waitFor(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: false, feedback: '  keep hello, it is the product name ' });
    await turnsDone(1);
    expect(hello()).toBe('hello world\n');
    const toolMessage = (backend as ScriptedBackend).requests[1]!.messages.find((message) => message.role === 'tool');
    expect(toolMessage?.content).toContain('Their feedback: keep hello, it is the product name');
  });

  it('"always" allows later edits of the session without asking', async () => {
    const { subject, of, turnsDone, hello } = await session([
      patch('hello world', 'hello there'),
      patch('hello there', 'hello again'),
      { answer: 'Done.' },
    ]);
    expect(subject.describeAlways({ tool: 'apply_patch', kind: 'edit', title: 'Edit' })).toBe('edits');
    subject.submit('change it twice');
    await vi.waitFor(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: true, always: true });
    await turnsDone(1);
    expect(of('approval.requested')).toHaveLength(1);
    expect(of('approval.decided').map((event) => event.by)).toEqual(['user', 'rule']);
    expect(hello()).toBe('hello again\n');
  });

  it('queues prompts sent during a turn; Esc stops the turn and drops the queue', async () => {
    const slow: ScriptedStep = { reasoning: 'x'.repeat(3000), answer: 'never', chunkDelayMs: 5 };
    const { subject, of, turnsDone, messages } = await session([slow, { answer: 'second' }, { answer: 'third' }]);
    subject.submit('first');
    subject.submit('queued one');
    await vi.waitFor(() => expect(of('queue.changed').at(-1)?.queued).toEqual(['queued one']));
    await vi.waitFor(() => expect(of('reasoning.delta').length).toBeGreaterThan(2));
    subject.interrupt();
    await turnsDone(1);
    expect(of('turn.interrupting')).toHaveLength(1);
    expect(of('turn.completed')[0]!.stopReason).toBe('aborted');
    expect(of('queue.changed').at(-1)?.queued).toEqual([]);
    expect(messages().at(-1)).toBe('Not sent (↑ recalls it): queued one');
    subject.submit('after the interrupt');
    await turnsDone(2);
    expect(of('turn.completed')[1]).toMatchObject({ stopReason: 'answer', answer: 'second' });
    expect(of('turn.started').map((event) => event.prompt)).toEqual(['first', 'after the interrupt']);
  });

  it('runs a prompt given on the command line as soon as it is ready', async () => {
    const { of, turnsDone } = await session([{ answer: 'ok' }], { firstPrompt: 'from the command line' });
    await turnsDone(1);
    expect(of('turn.started')[0]!.prompt).toBe('from the command line');
  });

  it('changes the approval mode and reasoning effort with /mode and /reasoning', async () => {
    const { subject, of, messages, agent } = await session([]);
    subject.submit('/mode auto-edit');
    await vi.waitFor(() => expect(agent().approvalMode).toBe('auto-edit'));
    expect(of('input.echo').at(-1)?.text).toBe('/mode auto-edit');
    expect(of('session.info').at(-1)?.info).toEqual({ approvalMode: 'auto-edit' });
    subject.submit('/mode');
    subject.submit('/mode yolo');
    subject.submit('/reasoning high');
    await vi.waitFor(() => expect(agent().reasoningEffort).toBe('high'));
    expect(messages()).toEqual([
      'Approval mode: auto-edit (edits are applied, commands ask).',
      'Approval mode: auto-edit (edits are applied, commands ask).\nChange it with /mode suggest | auto-edit | full-auto.',
      '"yolo" is not an approval mode; use one of suggest, auto-edit, full-auto.',
      'Reasoning effort: high, from the next request on.',
    ]);
  });

  it('shows the session diff with /diff, and says which commands are not there yet', async () => {
    const { subject, of, turnsDone, messages } = await session([
      patch('hello world', 'hello there'),
      { answer: 'Done.' },
    ]);
    subject.submit('/diff');
    await vi.waitFor(() => expect(messages()).toContain('This session has not changed any file.'));
    subject.submit('change it');
    await vi.waitFor(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: true });
    await turnsDone(1);
    subject.submit('/diff');
    await vi.waitFor(() => expect(messages()).toContain('This session changed 1 file (+1 −1):'));
    expect(of('message').at(-1)?.diff).toContain('-hello world\n+hello there');
    for (const command of ['/undo', '/review', '/fix', '/compact']) subject.submit(command);
    await vi.waitFor(() => expect(messages().filter((text) => text.includes('is not available yet'))).toHaveLength(4));
  });

  it('tells unknown commands apart from prompts that start with a slash', async () => {
    const { subject, of, messages, turnsDone } = await session([{ answer: 'ok' }]);
    subject.submit('/frobnicate');
    await vi.waitFor(() => expect(messages()).toContain('Unknown command /frobnicate. /help lists the commands.'));
    subject.submit('/tmp is full, what is using it?');
    await turnsDone(1);
    expect(of('turn.started')[0]!.prompt).toBe('/tmp is full, what is using it?');
  });

  it('starts a new conversation with /clear', async () => {
    const { subject, of, turnsDone, agent } = await session([{ answer: 'one' }]);
    subject.submit('remember this');
    await turnsDone(1);
    expect(agent().history.length).toBeGreaterThan(0);
    subject.submit('/clear');
    await vi.waitFor(() => expect(of('transcript.cleared')).toHaveLength(1));
    expect(agent().history).toEqual([]);
  });

  it('lists commands with /help, describes the model with /model, and ends with /quit', async () => {
    const { subject, messages } = await session([]);
    subject.submit('/help');
    subject.submit('/model');
    subject.submit('/model gpt-oss-120b');
    await vi.waitFor(() => expect(messages()).toHaveLength(3));
    expect(messages()[0]).toMatch(/^\/help +commands and keys\n\/mode +approval mode/);
    expect(messages()[0]).toContain('esc interrupts');
    expect(messages()[1]).toContain('Model: scripted');
    expect(messages()[2]).toContain('gptoss-agent --model gpt-oss-120b');
    subject.submit('/quit');
    await expect(subject.ended).resolves.toEqual({ kind: 'exit' });
  });

  it('follows a backend that loads its model', async () => {
    const listeners: ((status: BackendStatus) => void)[] = [];
    const backend = Object.assign(new ScriptedBackend([]), {
      status: (): BackendStatus => ({ state: 'loading', progress: 0.1 }),
      onStatus: (listener: (status: BackendStatus) => void) => {
        listeners.push(listener);
        return () => listeners.splice(listeners.indexOf(listener), 1);
      },
    });
    const { of } = await session([], { backend });
    expect(of('model.status').map((event) => event.status)).toEqual([{ state: 'loading', progress: 0.1 }]);
    listeners[0]!({ state: 'ready', contextSize: 8192, device: 'CPU' });
    expect(of('model.status').at(-1)?.status).toEqual({ state: 'ready', contextSize: 8192, device: 'CPU' });
  });

  it('asks yes/no questions outside a turn', async () => {
    const { subject, of } = await session([]);
    const answer = subject.confirm('Download gpt-oss-20b?', 'About 12 GB.');
    const asked = of('confirm.requested')[0]!;
    expect(asked).toMatchObject({ title: 'Download gpt-oss-20b?', body: 'About 12 GB.' });
    subject.answerConfirm(asked.id, true);
    await expect(answer).resolves.toBe(true);
    expect(of('confirm.answered')).toEqual([{ type: 'confirm.answered', id: asked.id }]);
  });

  it('ends with the error when setting up fails, for the command line to report', async () => {
    const failure = Object.assign(new Error('No model to run'), { name: 'NoModelError' });
    const subject = new InteractiveSession({
      setUp: async () => {
        throw failure;
      },
      history: new PromptHistory('/nonexistent/history.jsonl'),
      sandbox: 'n/a',
      gitStatus: async () => undefined,
    });
    subject.start();
    await expect(subject.ended).resolves.toEqual({ kind: 'failed', error: failure });
  });
});
