// The session behind the interactive UI, with the real agent set-up (loop,
// tools, session log) in a temporary repository, against the loopback
// chat server playing scripted model turns.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackendStatus, ModelBackend } from '../../src/model/backend.js';
import { setUpAgent, type AgentSetup } from '../../src/modes/agent-setup.js';
import { fixInSession } from '../../src/modes/fix.js';
import { initInSession } from '../../src/modes/init.js';
import { reviewInSession } from '../../src/modes/review.js';
import { pickSession } from '../../src/modes/session-picker.js';
import { InteractiveSession, type SetUp } from '../../src/modes/interactive-session.js';
import { PromptHistory } from '../../src/modes/prompt-history.js';
import type { UiEvent } from '../../src/ui/session.js';
import { initialState, reduce } from '../../src/ui/state.js';
import { startChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { ScriptedBackend } from '../fixtures/scripted-backend.js';
import { copyProject, writeSandboxUserConfig } from '../fixtures/projects.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

/** Generous: a loaded CI machine runs the server, the loop and the tools slowly. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 15_000, interval: 10 });

/** Commands find the test runners. */
const RUNNERS = { PATH: process.env.PATH };

const notUsed = async (): Promise<never> => {
  throw new Error('not used');
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const patch = (from: string, to: string): ScriptedResponse => ({
  step: {
    reasoning: 'Change the greeting.',
    toolCalls: [
      {
        name: 'apply_patch',
        arguments: { input: `*** Begin Patch\n*** Update File: hello.txt\n@@\n-${from}\n+${to}\n*** End Patch` },
      },
    ],
  },
});

interface Options {
  firstPrompt?: string;
  /** Stands in for the model backend (its status), the rest of the set-up being real. */
  backend?: ModelBackend;
  /** Continue a session ("last") of an earlier `session()` in the same places. */
  resume?: string;
  /** Choose the session to continue in the picker (--resume without an id). */
  pick?: boolean;
  /** Wait for the set-up to finish (false: a question comes first). */
  wait?: boolean;
  places?: { repo: TempRepo; state: TempRepo };
  /** Told each time the session asks the agent to prepare the next turn: the conversation's length then. */
  onPrepare?: (historyLength: number) => void;
  /** Another repository than the one with hello.txt (removed afterwards). */
  repo?: TempRepo;
  env?: NodeJS.ProcessEnv;
  /** The loopback server's options; a test may change them while the session runs. */
  server?: Parameters<typeof startChatServer>[1];
}

async function session(responses: ScriptedResponse[], options: Options = {}) {
  const server = await startChatServer(responses, options.server);
  cleanups.push(() => server.close());
  const { repo, state } = options.places ?? {
    repo: options.repo ?? makeTempRepo({ 'hello.txt': 'hello world\n' }),
    state: makeTempRepo({}, { git: false }),
  };
  if (!options.places)
    cleanups.push(
      () => repo.remove(),
      () => state.remove(),
    );
  writeSandboxUserConfig(path.join(state.root, 'config'));
  let setup: AgentSetup | undefined;
  const gitChecks: string[] = [];
  const setUp: SetUp = async (hooks) => {
    setup = await setUpAgent({
      cwd: repo.root,
      flags: { endpoint: server.url, model: 'gpt-oss-20b' },
      env: {
        XDG_STATE_HOME: path.join(state.root, 'state'),
        XDG_CONFIG_HOME: path.join(state.root, 'config'),
        ...options.env,
      },
      resume: options.pick
        ? (root) => pickSession(root, path.join(state.root, 'state', 'gptoss-agent'), subject)
        : options.resume,
      ...hooks,
    });
    const { agent, onPrepare } = { agent: setup.agent, onPrepare: options.onPrepare };
    if (onPrepare) {
      // The HTTP backend prepares nothing; the session's calls are what is observed here.
      const prepare = agent.prepareNext.bind(agent);
      agent.prepareNext = () => {
        onPrepare(agent.history.length);
        return prepare();
      };
    }
    return options.backend ? { ...setup, backend: options.backend } : setup;
  };
  const subject = new InteractiveSession({
    setUp,
    history: new PromptHistory(path.join(state.root, 'history.jsonl')),
    sandbox: 'n/a',
    gitStatus: async (root) => {
      gitChecks.push(root);
      return { branch: 'main', dirty: gitChecks.length > 1 };
    },
    initProject: (setup, hooks) => initInSession(setup, { ...hooks, env: {} }),
    fixTests: fixInSession,
    reviewChanges: reviewInSession,
    ...(options.firstPrompt ? { firstPrompt: options.firstPrompt } : {}),
  });
  cleanups.push(async () => {
    subject.exit();
    await subject.dispose();
    await setup?.backend.dispose();
  });
  const events: UiEvent[] = [];
  subject.subscribe((event) => events.push(event));
  subject.start();
  const of = <T extends UiEvent['type']>(type: T) =>
    events.filter((event): event is Extract<UiEvent, { type: T }> => event.type === type);
  const turnsDone = (count: number) => until(() => expect(of('turn.completed')).toHaveLength(count));
  if (options.wait !== false) {
    await until(() => expect(events.some((event) => event.type === 'session.info')).toBe(true));
    // Start-up notes (the sandbox's state on this machine) come first; tests look at what follows.
    await until(() =>
      expect(of('session.info').some((event) => event.info.sandbox === 'on' || event.info.sandbox === 'off')).toBe(
        true,
      ),
    );
  }
  const startupNotes = of('message').length;
  const messages = () =>
    of('message')
      .slice(startupNotes)
      .map((event) => event.text);
  const hello = () => readFileSync(path.join(repo.root, 'hello.txt'), 'utf8');
  const read = (file: string) =>
    existsSync(path.join(repo.root, file)) ? readFileSync(path.join(repo.root, file), 'utf8') : undefined;
  return {
    subject,
    events,
    of,
    turnsDone,
    messages,
    hello,
    read,
    server,
    agent: () => setup!.agent,
    gitChecks,
    places: { repo, state },
  };
}

describe('the interactive session', () => {
  it('checks the server at start, shows what is wrong, and checks again at the next prompt', async () => {
    const server: NonNullable<Options['server']> = { apiKey: 'sk-wanted' };
    const { subject, of, turnsDone } = await session([{ step: { answer: 'Hi there.' } }], { server });
    await until(() => expect(of('model.status').at(-1)!.status.state).toBe('failed'));
    expect(of('model.status').at(-1)!.status).toMatchObject({ error: { short: 'API key refused' } });
    const notice = of('message').find((event) => event.tone === 'error')!.text;
    expect(notice).toMatch(/refused the request \(401/);
    expect(notice).toContain('--api-key');
    expect(notice).toContain('no restart needed');
    // The user fixes the server (here: it stops asking for a key) and just sends a prompt.
    delete server.apiKey;
    subject.submit('say hi');
    await turnsDone(1);
    expect(of('turn.completed')[0]).toMatchObject({ stopReason: 'answer', answer: 'Hi there.' });
    expect(of('model.status').at(-1)!.status).toEqual({ state: 'ready' });
    expect(of('message').some((event) => event.text.endsWith('answers now.'))).toBe(true);
  });

  it('runs a !command without asking, shows its output, and tells the model at the next prompt', async () => {
    const { subject, of, turnsDone, server, read } = await session([{ step: { answer: 'It failed with 3.' } }]);
    subject.submit('!echo made > made.txt; echo hi there; exit 3');
    await until(() => expect(of('tool.result')).toHaveLength(1));
    expect(of('approval.requested')).toEqual([]);
    expect(of('input.echo').at(-1)?.text).toBe('!echo made > made.txt; echo hi there; exit 3');
    const result = of('tool.result')[0]!;
    expect(result).toMatchObject({ name: 'user_command', ok: false, output: 'hi there' });
    expect(result.summary).toMatch(/^exit 3 · (sandboxed|NOT sandboxed)$/);
    // It ran in the repository, like the model's commands.
    expect(read('made.txt')).toBe('made\n');
    subject.submit('why did it fail?');
    await turnsDone(1);
    const messages = (server.chatBodies[0] as { messages: { role: string; content: string }[] }).messages;
    const [note, prompt] = messages.slice(-2);
    expect(note!.role).toBe('user');
    expect(note!.content).toMatch(/^I ran this command myself \((sandboxed|NOT sandboxed)\): echo made/);
    expect(note!.content).toContain('It ended with exit 3. Its output:\nhi there');
    expect(prompt).toEqual({ role: 'user', content: 'why did it fail?' });
  });

  it('attaches @mentioned files for the model, shows the prompt as typed and says what was attached', async () => {
    const { subject, of, turnsDone, server, messages } = await session([{ step: { answer: 'It greets.' } }]);
    expect(await subject.files()).toContain('hello.txt');
    subject.submit('what does @hello.txt say? not @../elsewhere.txt');
    await turnsDone(1);
    expect(of('turn.started')[0]!.prompt).toBe('what does @hello.txt say? not @../elsewhere.txt');
    const sent = (server.chatBodies[0] as { messages: { role: string; content: string }[] }).messages.at(-1)!;
    expect(sent.content).toBe(
      'what does @hello.txt say? not @../elsewhere.txt\n\n<attachment path="hello.txt">\nhello world\n\n</attachment>',
    );
    expect(messages()).toEqual([
      expect.stringMatching(/^Not attached: @\.\.\/elsewhere\.txt: .* is outside the repository/),
      'Attached: hello.txt',
    ]);
  });

  it('reports the model, backend and modes once set up, then runs a prompt as a turn', async () => {
    const { subject, of, turnsDone, server } = await session([{ step: { reasoning: 'Easy.', answer: 'Hi there.' } }]);
    expect(of('session.info')[0]!.info).toEqual({
      model: 'gpt-oss-20b',
      backend: new URL(server.url).host,
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
      { step: { answer: 'Done.' } },
    ]);
    subject.submit('change the greeting');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    expect(of('approval.requested')[0]!.request.diff).toContain('+hello there');
    subject.answerApproval({ approved: true });
    await turnsDone(1);
    expect(hello()).toBe('hello there\n');
    expect(of('changes.applied')[0]!.diff).toContain('-hello world\n+hello there');
    await until(() => expect(of('git.status').at(-1)?.git).toEqual({ branch: 'main', dirty: true }));
    expect(gitChecks.length).toBeGreaterThanOrEqual(2);
  });

  it('sends the user’s words with a rejection to the model and leaves the file alone', async () => {
    const { subject, of, turnsDone, hello, server } = await session([
      patch('hello world', 'bye'),
      { step: { answer: 'Kept it.' } },
    ]);
    subject.submit('change the greeting');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: false, feedback: '  keep hello, it is the product name ' });
    await turnsDone(1);
    expect(hello()).toBe('hello world\n');
    const second = server.chatBodies[1] as { messages: { role: string; content: string }[] };
    const toolMessage = second.messages.find((message) => message.role === 'tool');
    expect(toolMessage?.content).toContain('Their feedback: keep hello, it is the product name');
  });

  it('"always" allows later edits of the session without asking', async () => {
    const { subject, of, turnsDone, hello } = await session([
      patch('hello world', 'hello there'),
      patch('hello there', 'hello again'),
      { step: { answer: 'Done.' } },
    ]);
    expect(subject.describeAlways({ tool: 'apply_patch', kind: 'edit', title: 'Edit' })).toBe('edits');
    subject.submit('change it twice');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: true, always: true });
    await turnsDone(1);
    expect(of('approval.requested')).toHaveLength(1);
    expect(of('approval.decided').map((event) => event.by)).toEqual(['user', 'rule']);
    expect(hello()).toBe('hello again\n');
    // The status line says what the mode now lets through.
    expect(of('session.info').at(-1)?.info.approvalMode).toBe('suggest + edits allowed');
  });

  it('offers no "always" for a compound command, which no rule could match', async () => {
    const { subject, of, turnsDone } = await session([
      { step: { toolCalls: [{ name: 'shell', arguments: { command: 'sleep 0; echo finished' } }] } },
      { step: { answer: 'Done.' } },
    ]);
    subject.submit('wait');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    expect(subject.describeAlways(of('approval.requested')[0]!.request)).toBeUndefined();
    subject.answerApproval({ approved: true, always: true });
    await turnsDone(1);
    expect(of('session.info').at(-1)?.info.approvalMode).toBe('suggest');
  });

  it('keeps a command rule for the project when asked to, and runs the command', async () => {
    const { subject, of, turnsDone, read } = await session([
      { step: { toolCalls: [{ name: 'shell', arguments: { command: 'echo hello there' } }] } },
      { step: { answer: 'Done.' } },
    ]);
    subject.submit('say hello');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    expect(subject.describeAlways(of('approval.requested')[0]!.request)).toBe('commands starting with "echo hello"');
    subject.answerApproval({ approved: true, always: true, forProject: true });
    await turnsDone(1);
    expect(JSON.parse(read('.gptoss-agent/config.json')!)).toMatchObject({ allow: ['echo hello'] });
    expect(of('tool.result')[0]).toMatchObject({ name: 'shell', ok: true });
  });

  it('stops a running command when interrupted', async () => {
    const { subject, of, turnsDone, read } = await session([
      { step: { toolCalls: [{ name: 'shell', arguments: { command: 'echo > started.txt && sleep 30' } }] } },
    ]);
    subject.submit('wait a while');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: true });
    // The command is running.
    await until(() => expect(read('started.txt')).toBeDefined());
    const started = Date.now();
    subject.interrupt();
    await turnsDone(1);
    expect(of('turn.completed')[0]!.stopReason).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('queues prompts sent during a turn; Esc stops the turn and drops the queue', async () => {
    const slow: ScriptedResponse = { step: { reasoning: 'x'.repeat(3000), answer: 'never' }, delayMs: 5 };
    const { subject, of, turnsDone, messages } = await session([
      slow,
      { step: { answer: 'second' } },
      { step: { answer: 'third' } },
    ]);
    subject.submit('first');
    subject.submit('queued one');
    await until(() => expect(of('queue.changed').at(-1)?.queued).toEqual(['queued one']));
    await until(() => expect(of('reasoning.delta').length).toBeGreaterThan(2));
    subject.submit('/undo');
    await until(() => expect(messages().at(-1)).toBe('Press esc to stop the turn first, or wait for it, then /undo.'));
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
    const { of, turnsDone } = await session([{ step: { answer: 'ok' } }], { firstPrompt: 'from the command line' });
    await turnsDone(1);
    expect(of('turn.started')[0]!.prompt).toBe('from the command line');
  });

  it('changes the approval mode and reasoning effort with /mode and /reasoning', async () => {
    const { subject, of, messages, agent } = await session([]);
    subject.submit('/mode auto-edit');
    await until(() => expect(agent().approvalMode).toBe('auto-edit'));
    expect(of('input.echo').at(-1)?.text).toBe('/mode auto-edit');
    expect(of('session.info').at(-1)?.info).toEqual({ approvalMode: 'auto-edit' });
    subject.submit('/mode');
    subject.submit('/mode yolo');
    subject.submit('/reasoning high');
    await until(() => expect(agent().reasoningEffort).toBe('high'));
    expect(messages()).toEqual([
      'Approval mode: auto-edit (edits are applied and tests run, other commands ask).',
      'Approval mode: auto-edit (edits are applied and tests run, other commands ask).\nChange it with /mode suggest | auto-edit | full-auto.',
      '"yolo" is not an approval mode; use one of suggest, auto-edit, full-auto.',
      'Reasoning effort: high, from the next request on.',
    ]);
  });

  it('shows the session diff with /diff', async () => {
    const { subject, of, turnsDone, messages } = await session([
      patch('hello world', 'hello there'),
      { step: { answer: 'Done.' } },
    ]);
    subject.submit('/diff');
    await until(() => expect(messages()).toContain('This session has not changed any file.'));
    subject.submit('change it');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: true });
    await turnsDone(1);
    subject.submit('/diff');
    await until(() => expect(messages()).toContain('This session changed 1 file (+1 −1):'));
    expect(of('message').at(-1)?.diff).toContain('-hello world\n+hello there');
  });

  it('/fix runs the tests and fixes them with approvals in the UI, shows each run and the summary, and tells the conversation', async () => {
    const repo = copyProject('vitest');
    rmSync(path.join(repo.root, 'src', 'broken.test.js'));
    const { subject, of, messages, turnsDone, server, read, agent } = await session(
      [
        {
          step: {
            reasoning: 'add() subtracts.',
            toolCalls: [
              {
                name: 'apply_patch',
                arguments: {
                  input:
                    '*** Begin Patch\n*** Update File: src/math.js\n@@\n-  return a - b;\n+  return a + b;\n*** End Patch',
                },
              },
            ],
          },
        },
        { step: { answer: 'Fixed add().' } },
        { step: { answer: 'add() subtracted instead of adding.' } },
      ],
      { repo, env: RUNNERS },
    );
    subject.submit('/fix');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    expect(of('task.started')[0]!.label).toBe('Fixing the failing tests…');
    expect(messages()[0]).toMatch(/^Tests before the fix: Tests failed: 2 failed, 2 passed, 1 skipped \(vitest, /);
    expect(messages()[0]).toContain('\n  ✗ src/math.test.js › math › adds two numbers');
    expect(of('turn.started')[0]).toMatchObject({ title: 'Fixing the failing tests, round 1 of 3' });
    // The tests ran without asking; the patch asks.
    expect(of('approval.requested')[0]!.request.tool).toBe('apply_patch');
    subject.answerApproval({ approved: true });
    await until(() => expect(of('task.finished')).toHaveLength(1));
    expect(read('src/math.js')).toContain('return a + b;');
    expect(messages()).toContainEqual(
      expect.stringMatching(/^Tests after round 1: All tests passed: 0 failed, 4 passed, 1 skipped/),
    );
    const summary = messages().at(-1)!;
    expect(summary).toMatch(/^All tests pass now \(\d+ passed\); 2 fixed\./);
    expect(summary).toContain('src/math.js | +1 -1');
    expect(summary).toContain("/undo takes the fix's changes back.");
    expect(of('message').at(-1)!.tone).toBe('info');
    // The fix had its own prompt; the conversation goes on with its own, and hears what changed.
    expect((server.chatBodies[0] as { messages: { content: string }[] }).messages[0]!.content).toContain(
      'fixing the failing tests',
    );
    expect(agent().rules).toEqual([]);
    subject.submit('what was wrong?');
    await turnsDone(2);
    const main = (server.chatBodies[2] as { messages: { role: string; content: string }[] }).messages;
    expect(main[0]!.content).toContain('a coding agent in the user');
    expect(main.map((m) => m.content)).not.toContainEqual(expect.stringContaining('This is the report of run_tests'));
    expect(main.at(-2)).toMatchObject({ role: 'user', content: expect.stringMatching(/^\[The user ran \/fix/) });
    expect(main.at(-1)).toEqual({ role: 'user', content: 'what was wrong?' });
    subject.submit('/undo');
    await until(() => expect(read('src/math.js')).toContain('return a - b;'));
  });

  it('/fix stops cleanly on esc and says so', async () => {
    const repo = copyProject('vitest');
    rmSync(path.join(repo.root, 'src', 'broken.test.js'));
    const slow: ScriptedResponse = { step: { reasoning: 'Let me look. '.repeat(500), answer: 'never' }, delayMs: 5 };
    const { subject, of, messages } = await session([slow], { repo, env: RUNNERS });
    subject.submit('/fix npx vitest run src/math.test.js');
    await until(() => expect(of('reasoning.delta').length).toBeGreaterThan(2));
    expect(messages()[0]).toMatch(/^Tests before the fix: Tests failed: 2 failed, 1 passed/);
    subject.interrupt();
    await until(() => expect(of('task.finished')).toHaveLength(1));
    expect(messages().at(-1)).toMatch(/^Interrupted\.\nStill failing \(2\):\n[^]*\nFiles changed: none\n/);
    expect(of('message').at(-1)!.tone).toBe('warning');
  });

  it('/review shows the findings on the staged changes by file with their lines, and leaves the conversation alone', async () => {
    const finding = {
      file: 'hello.txt',
      line: 1,
      severity: 'high',
      category: 'bug',
      title: 'The greeting lost its name',
      explanation: 'The product is called hello world.',
    };
    const { subject, of, messages, turnsDone, server, agent, places } = await session([
      { step: { answer: 'Hello.' } },
      { step: { reasoning: 'The greeting changed.', answer: JSON.stringify({ findings: [finding] }) } },
      { step: { answer: 'Still here.' } },
    ]);
    subject.submit('/review');
    await until(() => expect(messages()).toContain('Nothing staged to review.'));
    subject.submit('hi');
    await turnsDone(1);
    const history = structuredClone(agent().history);
    places.repo.write('hello.txt', 'hello there\n');
    places.repo.git('add', 'hello.txt');

    subject.submit('/review');
    await until(() => expect(of('review.shown')).toHaveLength(1));
    const { review } = of('review.shown')[0]!;
    expect(review.heading).toBe('Reviewed the staged changes: 1 of 1 files');
    expect(review.byFile).toEqual([
      {
        file: 'hello.txt',
        findings: [
          expect.objectContaining({
            severity: 'high',
            place: 'hello.txt:1',
            title: 'The greeting lost its name',
            excerpt: [{ line: 1, mark: '+', text: 'hello there' }],
          }),
        ],
      },
    ]);
    expect(review.verdict).toBe('1 finding: 1 high.');
    expect(of('task.started').at(-1)!.label).toBe('Reviewing the staged changes…');
    // Its work is shown, its JSON answer is not.
    expect(of('turn.started').at(-1)).toMatchObject({ title: 'Reviewing hello.txt' });
    expect(
      of('answer.delta')
        .map((event) => event.delta)
        .join(''),
    ).toBe('Hello.');
    // The review had its own prompt and conversation; the session's goes on untouched.
    const request = server.chatBodies[1] as { messages: { role: string; content: string }[]; tools: unknown[] };
    expect(request.messages[0]!.content).toMatch(/^You are gptoss-agent reviewing a code change/);
    expect((request.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual([
      'symbols',
      'run_tests',
      'repo_browser__search',
      'repo_browser__open_file',
    ]);
    expect(request.messages.find((m) => m.role === 'user')!.content).toContain('1 + hello there');
    expect(agent().history).toEqual(history);
    subject.submit('still there?');
    await turnsDone(3);
    const next = (server.chatBodies[2] as { messages: { role: string; content: string }[] }).messages;
    expect(next.slice(1).map((m) => m.content)).toEqual(['hi', 'Hello.', 'still there?']);
  });

  it('tells unknown commands apart from prompts that start with a slash', async () => {
    const { subject, of, messages, turnsDone } = await session([{ step: { answer: 'ok' } }]);
    subject.submit('/frobnicate');
    await until(() => expect(messages()).toContain('Unknown command /frobnicate. /help lists the commands.'));
    subject.submit('/tmp is full, what is using it?');
    await turnsDone(1);
    expect(of('turn.started')[0]!.prompt).toBe('/tmp is full, what is using it?');
  });

  it('starts a new conversation with /clear', async () => {
    const { subject, of, turnsDone, agent } = await session([{ step: { answer: 'one' } }]);
    subject.submit('remember this');
    await turnsDone(1);
    expect(agent().history.length).toBeGreaterThan(0);
    subject.submit('/clear');
    await until(() => expect(of('transcript.cleared')).toHaveLength(1));
    expect(agent().history).toEqual([]);
  });

  it('has the model prepare the next turn whenever it goes idle: at start, after a turn, after /clear', async () => {
    const prepared: { length: number; busy: boolean }[] = [];
    let turnRunning = false;
    const { subject, of, turnsDone } = await session([{ step: { answer: 'one', chunkDelayMs: 5 } }], {
      onPrepare: (length) => prepared.push({ length, busy: turnRunning }),
    });
    subject.subscribe((event) => {
      if (event.type === 'turn.started') turnRunning = true;
      if (event.type === 'turn.completed') turnRunning = false;
    });
    await until(() => expect(prepared).toEqual([{ length: 0, busy: false }]));
    subject.submit('remember this');
    await turnsDone(1);
    await until(() => expect(prepared.at(-1)).toEqual({ length: 2, busy: false }));
    subject.submit('/clear');
    await until(() => expect(of('transcript.cleared')).toHaveLength(1));
    await until(() => expect(prepared.at(-1)).toEqual({ length: 0, busy: false }));
    expect(prepared.every((call) => !call.busy)).toBe(true);
  });

  it('lists commands with /help, describes the model with /model, and ends with /quit', async () => {
    const { subject, messages } = await session([]);
    subject.submit('/help');
    subject.submit('/model');
    subject.submit('/model gpt-oss-120b');
    await until(() => expect(messages()).toHaveLength(3));
    expect(messages()[0]).toMatch(/^\/help +commands and keys\n\/mode +approval mode/);
    expect(messages()[0]).toContain('esc interrupts');
    expect(messages()[1]).toContain('Model: gpt-oss-20b');
    expect(messages()[2]).toContain('gptoss-agent --model gpt-oss-120b');
    subject.submit('/quit');
    await expect(subject.ended).resolves.toEqual({ kind: 'exit' });
  });

  it('undoes the last change with /undo, and says when there is nothing to undo', async () => {
    const { subject, of, turnsDone, hello, messages } = await session([
      patch('hello world', 'hello there'),
      { step: { answer: 'Done.' } },
    ]);
    subject.submit('change it');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: true });
    await turnsDone(1);
    expect(hello()).toBe('hello there\n');
    subject.submit('/undo');
    await until(() => expect(hello()).toBe('hello world\n'));
    await until(() => expect(messages().at(-1)).toMatch(/^Undid the last change \(update hello.txt\)/));
    expect(of('message').at(-1)?.diff).toContain('-hello there\n+hello world');
    subject.submit('/undo');
    await until(() => expect(messages().at(-1)).toMatch(/^Nothing to undo/));
    subject.submit('/diff');
    await until(() => expect(messages().at(-1)).toBe('This session has not changed any file.'));
  });

  it('compacts the conversation with /compact, as a task Esc could stop', async () => {
    const { subject, of, turnsDone, messages, agent, server } = await session([
      { step: { answer: 'The build uses make.' } },
      { step: { answer: 'The user asked how the project builds; it uses make.' } },
    ]);
    subject.submit('/compact');
    await until(() => expect(messages().at(-1)).toBe('Nothing to compact: the conversation is empty.'));
    subject.submit('how does it build?');
    await turnsDone(1);
    subject.submit('/compact');
    await until(() => expect(of('task.finished')).toHaveLength(1));
    expect(of('task.started')[0]!.label).toBe('Compacting the conversation…');
    expect(of('context.compacted')).toHaveLength(1);
    expect(server.chatBodies).toHaveLength(2);
    expect(JSON.stringify(agent().history)).toContain('it uses make');
  });

  it('proposes an AGENTS.md with /init, writes it on approval, and /undo takes it back', async () => {
    const proposal = '# AGENTS.md\n\n- Greeting lives in `hello.txt`.';
    const { subject, of, messages, read } = await session([{ step: { answer: proposal } }]);
    subject.submit('/init');
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    expect(of('approval.requested')[0]!.request.diff).toContain('+- Greeting lives in `hello.txt`.');
    subject.answerApproval({ approved: true });
    await until(() => expect(messages().at(-1)).toBe('Wrote AGENTS.md (/undo takes it back).'));
    expect(read('AGENTS.md')).toContain('Greeting lives in');
    expect(of('changes.applied')).toHaveLength(1);
    subject.submit('/undo');
    await until(() => expect(read('AGENTS.md')).toBeUndefined());
  });

  it('continues a saved session with --resume, redrawing its turns with their reasoning and timings', async () => {
    const first = await session([
      // About 400 ms of reasoning: 20 chunks, 20 ms apart.
      { step: { reasoning: 'Think it over. '.repeat(7), answer: 'First answer.' }, delayMs: 20 },
    ]);
    first.subject.submit('first prompt');
    await first.turnsDone(1);
    first.subject.exit();
    await first.subject.dispose();
    const second = await session([{ step: { answer: 'Second answer.' } }], { resume: 'last', places: first.places });
    const replayed = second.of('transcript.replay')[0]!.events;
    expect(replayed.map(({ event }) => event.type === 'turn.started' && event.prompt).filter(Boolean)).toEqual([
      'first prompt',
    ]);
    const view = reduce(initialState({ version: '', cwd: '' }), second.of('transcript.replay')[0]!, 0);
    const reasoning = view.items.find((item) => item.kind === 'reasoning');
    expect(reasoning).toMatchObject({ text: 'Think it over. '.repeat(7).trim() });
    expect(reasoning?.kind === 'reasoning' && reasoning.durationMs).toBeGreaterThan(200);
    expect(view.items.at(-1)).toMatchObject({ kind: 'answer', text: 'First answer.' });
    expect(second.of('message').map((event) => event.text)).toContainEqual(expect.stringMatching(/^Resumed session /));
    second.subject.submit('second prompt');
    await second.turnsDone(1);
    const body = second.server.chatBodies[0] as { messages: { role: string; content: string }[] };
    expect(body.messages.map((message) => message.content)).toContain('First answer.');
  });

  it('--resume without an id offers this repository’s sessions, the latest first, and continues the chosen one', async () => {
    const first = await session([{ step: { answer: 'One.' } }]);
    first.subject.submit('the first task');
    await first.turnsDone(1);
    first.subject.exit();
    await first.subject.dispose();
    const second = await session([{ step: { answer: 'Two.' } }], { places: first.places });
    second.subject.submit('the second task');
    await second.turnsDone(1);
    second.subject.exit();
    await second.subject.dispose();

    const third = await session([{ step: { answer: 'Three.' } }], { places: first.places, pick: true, wait: false });
    await until(() => expect(third.of('choice.requested')).toHaveLength(1));
    const choice = third.of('choice.requested')[0]!;
    expect(choice.title).toBe('Continue which session?');
    expect(choice.options).toEqual([
      { label: 'the second task', detail: 'gpt-oss-20b · just now' },
      { label: 'the first task', detail: 'gpt-oss-20b · just now' },
    ]);
    expect(choice.cancel).toBe('start a new session');
    third.subject.answerChoice(choice.id, 1);
    await until(() => expect(third.of('transcript.replay')).toHaveLength(1));
    const prompts = third
      .of('transcript.replay')[0]!
      .events.flatMap(({ event }) => (event.type === 'turn.started' ? [event.prompt] : []));
    expect(prompts).toEqual(['the first task']);
    third.subject.exit();
    await third.subject.dispose();

    // Esc: a new session.
    const fourth = await session([], { places: first.places, pick: true, wait: false });
    await until(() => expect(fourth.of('choice.requested')).toHaveLength(1));
    fourth.subject.answerChoice(fourth.of('choice.requested')[0]!.id, undefined);
    await until(() => expect(fourth.of('session.info').length).toBeGreaterThan(0));
    expect(fourth.of('transcript.replay')).toEqual([]);
    expect(fourth.subject.sessionId).not.toBe(first.subject.sessionId);
  });

  it('asks the sandbox whether commands are contained, for the status line', async () => {
    const { of } = await session([]);
    const sandbox = of('session.info').findLast((event) => event.info.sandbox !== undefined)!.info.sandbox;
    expect(['on', 'off']).toContain(sandbox);
    const warned = of('message').some((event) => event.text.startsWith('Commands run WITHOUT the sandbox'));
    expect(warned).toBe(sandbox === 'off');
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

  it('says why the model failed to load, with what to do', async () => {
    const backend = Object.assign(new ScriptedBackend([]), {
      status: (): BackendStatus => ({
        state: 'failed',
        error: { message: 'Could not load model.gguf: out of memory', hint: 'Try --model with a smaller model.' },
      }),
    });
    const { of } = await session([], { backend });
    expect(of('message').map((event) => event.text)).toContain(
      'Could not load model.gguf: out of memory\nTry --model with a smaller model.',
    );
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
      initProject: notUsed,
      fixTests: notUsed,
      reviewChanges: notUsed,
    });
    subject.start();
    await expect(subject.ended).resolves.toEqual({ kind: 'failed', error: failure });
  });
});

describe('custom commands in the session', () => {
  it('offers them, lists them in /help, and sends the expanded prompt as the user’s', async () => {
    const repo = makeTempRepo({
      'hello.txt': 'hello world\n',
      '.gptoss-agent/commands/explain.md': '---\ndescription: Explain a file\n---\nExplain $ARGUMENTS in one line.\n',
    });
    const state = makeTempRepo({}, { git: false });
    cleanups.push(
      () => repo.remove(),
      () => state.remove(),
    );
    mkdirSync(path.join(state.root, 'config/gptoss-agent/commands'), { recursive: true });
    writeFileSync(path.join(state.root, 'config/gptoss-agent/commands/explain.md'), 'Explain (user).');
    writeFileSync(path.join(state.root, 'config/gptoss-agent/commands/standup.md'), 'Write my standup.');
    const { subject, of, turnsDone, messages, server } = await session([{ step: { answer: 'It greets.' } }], {
      places: { repo, state },
    });
    await until(() => expect(subject.commands.map((command) => command.name)).toContain('explain'));
    expect(subject.commands.find((command) => command.name === 'explain')?.summary).toBe('Explain a file (project)');
    expect(subject.commands.find((command) => command.name === 'standup')?.summary).toBe('Write my standup. (user)');
    subject.submit('/explain hello.txt');
    await turnsDone(1);
    expect(of('turn.started')[0]!.prompt).toBe('Explain hello.txt in one line.');
    // The first request is the start's endpoint check; the turn's request carries the expanded prompt.
    expect(JSON.stringify(server.chatBodies[0])).toContain('Explain hello.txt in one line.');
    subject.submit('/help');
    await until(() => expect(messages().join('\n')).toContain('/standup'));
    expect(messages().join('\n')).toContain('is used instead of the one in');
    subject.submit('/mcp');
    await until(() => expect(messages().join('\n')).toContain('No MCP servers are configured'));
  });
});
