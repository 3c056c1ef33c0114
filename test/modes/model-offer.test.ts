// The interactive session started without a model: the download offer, the
// download with progress (stopped and resumed), and the set-up that follows,
// with the real agent set-up and the real embedded backend on the tiny
// gpt-oss model, served by a loopback server standing in for Hugging Face.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setUpAgent, type AgentSetup } from '../../src/modes/agent-setup.js';
import { InteractiveSession } from '../../src/modes/interactive-session.js';
import { offerModelDownload } from '../../src/modes/model-offer.js';
import { PromptHistory } from '../../src/modes/prompt-history.js';
import type { UiEvent } from '../../src/ui/session.js';
import { startFileServer, type ServedFile } from '../fixtures/file-server.js';
import { gptOssModelFile } from '../fixtures/gpt-oss-gguf.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const until = (check: () => void, timeout = 20_000) => vi.waitFor(check, { timeout, interval: 10 });

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const notUsed = async (): Promise<never> => {
  throw new Error('not used');
};

const MODEL_URL_PATH = '/giladgd/gpt-oss-20b-GGUF/resolve/main/gpt-oss-20b.MXFP4.gguf';

async function start(served: Omit<ServedFile, 'body'> = {}) {
  const body = readFileSync(gptOssModelFile());
  const server = await startFileServer({ [MODEL_URL_PATH]: { body, ...served } });
  const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
  const home = makeTempRepo({}, { git: false });
  const env = {
    XDG_STATE_HOME: path.join(home.root, 'state'),
    XDG_CONFIG_HOME: path.join(home.root, 'config'),
    XDG_CACHE_HOME: path.join(home.root, 'cache'),
    HF_ENDPOINT: server.url,
    GPTOSS_AGENT_THREADS: '1',
  };
  let setup: AgentSetup | undefined;
  const subject = new InteractiveSession({
    setUp: async (hooks) => (setup = await setUpAgent({ cwd: repo.root, flags: { contextSize: 4096 }, env, ...hooks })),
    offerModel: (error, ui) => offerModelDownload(error, ui),
    history: new PromptHistory(path.join(home.root, 'history.jsonl')),
    sandbox: 'n/a',
    gitStatus: async () => undefined,
    initProject: notUsed,
    fixTests: notUsed,
    reviewChanges: notUsed,
  });
  cleanups.push(
    () => server.close(),
    () => repo.remove(),
    () => home.remove(),
    async () => {
      subject.exit();
      await subject.dispose();
      await setup?.backend.dispose();
    },
  );
  const events: UiEvent[] = [];
  subject.subscribe((event) => events.push(event));
  subject.start();
  const of = <T extends UiEvent['type']>(type: T) =>
    events.filter((event): event is Extract<UiEvent, { type: T }> => event.type === type);
  const messages = () => of('message').map((event) => event.text);
  const modelFile = path.join(home.root, 'cache', 'gptoss-agent', 'models', 'gpt-oss-20b.MXFP4.gguf');
  return { subject, of, messages, server, body, modelFile };
}

describe('the interactive session without a model', () => {
  it('offers the default model with its size and place, downloads it with progress, and loads it', async () => {
    const { subject, of, messages, body, modelFile } = await start({ slow: { pieceBytes: 256 * 1024, pauseMs: 50 } });
    await until(() => expect(of('confirm.requested')).toHaveLength(1));
    // The status line says what is missing while the offer and the download run.
    expect(of('model.status').map((event) => event.status.state)).toEqual(['absent']);
    const offer = of('confirm.requested')[0]!;
    expect(offer.title).toBe('No gpt-oss model here yet. Download gpt-oss-20b (about 11.3 GB) now?');
    expect(offer.body).toContain(`It goes to ${modelFile}.`);
    subject.answerConfirm(offer.id, true);

    await until(() => expect(of('task.progress').length).toBeGreaterThan(1));
    expect(of('task.started')[0]!.label).toBe('Downloading gpt-oss-20b…');
    expect(of('task.progress').at(-1)!.text).toMatch(/^\[[#-]+\]\s+\d+%\s+[\d.]+ MB \/ [\d.]+ MB\s+[\d.]+ \w+\/s/);
    await until(() => expect(of('session.info').length).toBeGreaterThan(0));
    expect(messages()).toContain(`Downloaded gpt-oss-20b to ${modelFile}.`);
    expect(readFileSync(modelFile).equals(body)).toBe(true);
    expect(of('session.info')[0]!.info).toMatchObject({ model: 'gpt-oss-20b.MXFP4.gguf', backend: 'embedded' });
    await until(() => expect(of('model.status').at(-1)?.status.state).toBe('ready'), 60_000);
  }, 90_000);

  it('stops the download on esc, keeps what arrived, and offers to resume it', async () => {
    const { subject, of, server, modelFile } = await start({ slow: { pieceBytes: 64 * 1024, pauseMs: 100 } });
    await until(() => expect(of('confirm.requested')).toHaveLength(1));
    subject.answerConfirm(of('confirm.requested')[0]!.id, true);
    await until(() => expect(of('task.progress').length).toBeGreaterThan(2));
    subject.interrupt();
    await until(() => expect(of('confirm.requested')).toHaveLength(2));
    expect(of('task.finished')).toHaveLength(1);
    const partial = statSync(`${modelFile}.partial`).size;
    expect(partial).toBeGreaterThan(0);
    const again = of('confirm.requested')[1]!;
    expect(again.title).toMatch(/^Resume the download of gpt-oss-20b \([\d.]+ KB of about 11\.3 GB done\)\?$/);

    subject.answerConfirm(again.id, false);
    const end = await subject.ended;
    expect(end.kind).toBe('failed');
    const error = (end as { error: Error }).error;
    expect(error.name).toBe('NoModelError');
    expect(error.message).toContain('were downloaded, pull resumes there');
    expect(existsSync(modelFile)).toBe(false);
    expect(server.requests).toHaveLength(1);
  }, 60_000);

  it('ends with the message every mode gives when the offer is declined, having downloaded nothing', async () => {
    const { subject, of, server, modelFile } = await start();
    await until(() => expect(of('confirm.requested')).toHaveLength(1));
    subject.answerConfirm(of('confirm.requested')[0]!.id, false);
    const end = await subject.ended;
    expect(end.kind).toBe('failed');
    const error = (end as { error: Error }).error;
    expect(error.name).toBe('NoModelError');
    expect(error.message).toMatch(/^No gpt-oss model to run: the default model gpt-oss-20b is not downloaded/);
    expect(server.requests).toHaveLength(0);
    expect(existsSync(path.dirname(modelFile))).toBe(false);
  });

  it('says why a download failed and offers it again', async () => {
    const { subject, of, messages } = await start({ status: 403 });
    await until(() => expect(of('confirm.requested')).toHaveLength(1));
    subject.answerConfirm(of('confirm.requested')[0]!.id, true);
    await until(() => expect(of('confirm.requested')).toHaveLength(2));
    expect(messages().at(-1)).toMatch(/^The server refused to send gpt-oss-20b\.MXFP4\.gguf \(HTTP 403\)/);
    expect(of('confirm.requested')[1]!.title).toMatch(/^No gpt-oss model here yet/);
  });
});
