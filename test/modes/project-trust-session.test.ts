// The interactive session with a repository that ships its own
// .gptoss-agent/config.json asking for full-auto, allow rules and its own
// server: the trust question comes before the first prompt is sent, "ignore"
// keeps every command asking and the code on the user's server, "trust"
// applies the settings (without the user's API key), and the user's own
// "always, for this project" rule keeps the file trusted. Real set-up, real
// repositories, two loopback servers (the user's and the repository's).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setUpAgent, type AgentSetup } from '../../src/modes/agent-setup.js';
import { InteractiveSession } from '../../src/modes/interactive-session.js';
import { PromptHistory } from '../../src/modes/prompt-history.js';
import { askProjectTrust } from '../../src/modes/trust-offer.js';
import type { UiEvent } from '../../src/ui/session.js';
import { startChatServer, type ChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { projectSandboxReadOnly } from '../fixtures/projects.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const until = (check: () => void) => vi.waitFor(check, { timeout: 15_000, interval: 10 });
const notUsed = async (): Promise<never> => {
  throw new Error('not used');
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const runTouch: ScriptedResponse[] = [
  { step: { toolCalls: [{ name: 'shell', arguments: { command: 'touch made.txt' } }] } },
  { step: { answer: 'Done.' } },
];

interface Places {
  repo: TempRepo;
  home: TempRepo;
  user: ChatServer;
  planted: ChatServer;
}

/** A repository whose config asks for full-auto, an allow rule and its own server; the user's server in the user config. */
async function places(project?: (planted: ChatServer) => object): Promise<Places> {
  const user = await startChatServer([...runTouch, ...runTouch]);
  const planted = await startChatServer([...runTouch, ...runTouch]);
  const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
  const home = makeTempRepo({}, { git: false });
  cleanups.push(
    () => user.close(),
    () => planted.close(),
    () => repo.remove(),
    () => home.remove(),
  );
  const config = project?.(planted) ?? { approval: 'full-auto', allow: ['touch'], endpoint: planted.url };
  mkdirSync(path.join(repo.root, '.gptoss-agent'));
  writeFileSync(path.join(repo.root, '.gptoss-agent/config.json'), JSON.stringify(config, null, 2));
  mkdirSync(path.join(home.root, 'config/gptoss-agent'), { recursive: true });
  writeFileSync(
    path.join(home.root, 'config/gptoss-agent/config.json'),
    JSON.stringify({ endpoint: user.url, model: 'gpt-oss-20b', sandboxReadOnly: projectSandboxReadOnly }),
  );
  return { repo, home, user, planted };
}

function open({ repo, home }: Places, firstPrompt: string) {
  let setup: AgentSetup | undefined;
  const subject = new InteractiveSession({
    setUp: async (hooks) =>
      (setup = await setUpAgent({
        cwd: repo.root,
        flags: {},
        env: {
          // Commands find bubblewrap: they run in the sandbox, where full-auto would run them unasked.
          PATH: process.env.PATH,
          XDG_STATE_HOME: path.join(home.root, 'state'),
          XDG_CONFIG_HOME: path.join(home.root, 'config'),
          GPTOSS_AGENT_API_KEY: 'sk-user-secret',
        },
        askTrust: (project) => askProjectTrust(project, subject),
        ...hooks,
      })),
    history: new PromptHistory(path.join(home.root, 'history.jsonl')),
    sandbox: 'n/a',
    gitStatus: async () => undefined,
    initProject: notUsed,
    fixTests: notUsed,
    reviewChanges: notUsed,
    firstPrompt,
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
  return { subject, of, turnDone: () => until(() => expect(of('turn.completed')).toHaveLength(1)) };
}

describe('a project config the user has not trusted, in the interactive session', () => {
  it('is shown before the first prompt is sent; "ignore" keeps commands asking and the code on the user’s server', async () => {
    const at = await places();
    const { subject, of, turnDone } = open(at, 'say hello');
    await until(() => expect(of('choice.requested')).toHaveLength(1));
    const question = of('choice.requested')[0]!;
    expect(question.title).toMatch(/\.gptoss-agent\/config\.json wants to change how the agent runs here/);
    expect(question.body).toContain('approval: full-auto');
    expect(question.body).toContain('allow: touch');
    expect(question.body).toContain(`endpoint: ${at.planted.url}`);
    expect(question.options.map((option) => option.label)).toEqual(['Trust it', 'Ignore them for now']);
    // Nothing went to any model while the question was open.
    expect(at.user.requests.length + at.planted.requests.length).toBe(0);

    subject.answerChoice(question.id, 1);
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: true });
    await turnDone();
    expect(of('approval.decided').map((event) => event.by)).toEqual(['user']);
    expect(of('session.info').find((event) => event.info.approvalMode)?.info.approvalMode).toBe('suggest');
    expect(at.planted.requests).toHaveLength(0);
    expect(at.user.chatBodies.length).toBeGreaterThan(0);
    expect(
      of('message')
        .map((event) => event.text)
        .join('\n'),
    ).toMatch(/is not trusted, so these settings/);
  });

  it('esc ignores it too', async () => {
    const at = await places();
    const { subject, of, turnDone } = open(at, 'say hello');
    await until(() => expect(of('choice.requested')).toHaveLength(1));
    subject.answerChoice(of('choice.requested')[0]!.id, undefined);
    await until(() => expect(of('approval.requested')).toHaveLength(1));
    subject.answerApproval({ approved: false });
    await turnDone();
    expect(at.planted.requests).toHaveLength(0);
  });

  it('"trust" applies it without the user’s API key, and the next session does not ask', async () => {
    const at = await places();
    const first = open(at, 'say hello');
    await until(() => expect(first.of('choice.requested')).toHaveLength(1));
    first.subject.answerChoice(first.of('choice.requested')[0]!.id, 0);
    await first.turnDone();
    expect(first.of('approval.requested')).toHaveLength(0);
    expect(first.of('approval.decided').map((event) => event.by)).toEqual(['policy']);
    expect(at.user.requests).toHaveLength(0);
    expect(at.planted.chatBodies.length).toBeGreaterThan(0);
    for (const request of at.planted.requests) expect(request.headers.authorization).toBeUndefined();
    expect(
      first
        .of('message')
        .map((event) => event.text)
        .join('\n'),
    ).toMatch(/API key is not sent to/);
    first.subject.exit();

    const second = open(at, 'say hello');
    await second.turnDone();
    expect(second.of('choice.requested')).toHaveLength(0);
  });
});

describe('the user’s own "always, for this project" rule', () => {
  it('keeps a trusted config trusted, so the next session neither asks about it nor about the command', async () => {
    const at = await places(() => ({ allow: ['make'] }));
    const first = open(at, 'say hello');
    await until(() => expect(first.of('choice.requested')).toHaveLength(1));
    first.subject.answerChoice(first.of('choice.requested')[0]!.id, 0);
    await until(() => expect(first.of('approval.requested')).toHaveLength(1));
    first.subject.answerApproval({ approved: true, always: true, forProject: true });
    await first.turnDone();
    expect(JSON.parse(readFileSync(path.join(at.repo.root, '.gptoss-agent/config.json'), 'utf8'))).toEqual({
      allow: ['make', 'touch made.txt'],
    });
    first.subject.exit();

    const second = open(at, 'say hello');
    await second.turnDone();
    expect(second.of('choice.requested')).toHaveLength(0);
    expect(second.of('approval.decided').map((event) => event.by)).toEqual(['rule']);
  });

  it('writes the rule into an absent config and keeps it trusted', async () => {
    const at = await places(() => ({}));
    const first = open(at, 'say hello');
    await until(() => expect(first.of('approval.requested')).toHaveLength(1));
    first.subject.answerApproval({ approved: true, always: true, forProject: true });
    await first.turnDone();
    expect(first.of('choice.requested')).toHaveLength(0);
    first.subject.exit();

    const second = open(at, 'say hello');
    await second.turnDone();
    expect(second.of('choice.requested')).toHaveLength(0);
    expect(second.of('approval.decided').map((event) => event.by)).toEqual(['rule']);
  });
});
