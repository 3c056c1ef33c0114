// The built binary's interactive UI in a real pseudo-terminal (tmux) against
// a loopback OpenAI-compatible server playing scripted model turns. Every
// wait polls the screen with a generous timeout: CI machines are slow.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { runCli } from '../fixtures/cli.js';
import { startFileServer, type ServedFile } from '../fixtures/file-server.js';
import { gptOssModelFile } from '../fixtures/gpt-oss-gguf.js';
import { copyProject, writeSandboxUserConfig } from '../fixtures/projects.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import type { Terminal } from '../fixtures/terminal.js';
import { terminalTests } from '../fixtures/terminal-tests.js';

const ui = terminalTests();

const PROMPT_READY = 'Ask gpt-oss to do something';

const patchHello: ScriptedResponse = {
  step: {
    reasoning: 'The greeting lives in hello.txt; I will patch it.',
    toolCalls: [
      {
        name: 'apply_patch',
        arguments: {
          input: '*** Begin Patch\n*** Update File: hello.txt\n@@\n-hello world\n+hello there\n*** End Patch',
        },
      },
    ],
  },
  // Slow enough that the reasoning is on screen while it streams.
  delayMs: 20,
};

async function start(responses: ScriptedResponse[], repo = makeTempRepo({ 'hello.txt': 'hello world\n' })) {
  ui.defer(() => repo.remove());
  const server = await startChatServer(responses);
  ui.defer(() => server.close());
  const home = ui.home();
  writeSandboxUserConfig(home.env.XDG_CONFIG_HOME);
  const term = await ui.open(['--endpoint', server.url, '--model', 'gpt-oss-20b'], { cwd: repo.root, home });
  await term.waitFor(PROMPT_READY);
  const hello = () => readFileSync(path.join(repo.root, 'hello.txt'), 'utf8');
  return { server, repo, term, hello };
}

function ask(term: Terminal, prompt: string) {
  term.type(prompt);
  term.press('Enter');
}

describe('the interactive UI in a terminal', { timeout: 120_000 }, () => {
  it('streams the reasoning, shows the diff, and applies it on y', async () => {
    const { term, hello, server } = await start([patchHello, { step: { answer: 'I changed the **greeting**.' } }]);
    ask(term, 'change the greeting');
    await term.waitFor('The greeting lives in hello.txt');
    const asking = await term.waitFor('Apply this change?');
    expect(asking).toMatch(/1 - hello world/);
    expect(asking).toMatch(/1 \+ hello there/);
    expect(hello()).toBe('hello world\n');
    term.press('y');
    const done = await term.waitFor('I changed the greeting.');
    expect(done).toContain('✓ approved by you');
    expect(hello()).toBe('hello there\n');
    expect(server.chatBodies).toHaveLength(2);
  });

  it('sends a prompt typed and entered while the program is still starting', async () => {
    const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
    ui.defer(() => repo.remove());
    const server = await startChatServer([{ step: { answer: 'Typed ahead, and answered.' } }]);
    ui.defer(() => server.close());
    const home = ui.home();
    writeSandboxUserConfig(home.env.XDG_CONFIG_HOME);
    const term = await ui.open(['--endpoint', server.url, '--model', 'gpt-oss-20b'], { cwd: repo.root, home });
    // No wait for the prompt: the keys reach the terminal while it is still in line mode (Enter as a line feed).
    ask(term, 'what is in hello.txt');
    await term.waitFor('Typed ahead, and answered.');
    expect(JSON.stringify(server.chatBodies[0])).toContain('what is in hello.txt');
  });

  it('on n sends the typed feedback to the model and leaves the file unchanged', async () => {
    const { term, hello, server } = await start([patchHello, { step: { answer: 'Understood, no change.' } }]);
    ask(term, 'change the greeting');
    await term.waitFor('Apply this change?');
    term.press('n');
    await term.waitFor('Tell the model why');
    term.type('keep hello world, it is the product name');
    term.press('Enter');
    await term.waitFor('Understood, no change.');
    expect(hello()).toBe('hello world\n');
    const second = server.chatBodies[1] as { messages: { role: string; content: string }[] };
    const toolMessage = second.messages.find((message) => message.role === 'tool');
    expect(toolMessage?.content).toContain('keep hello world, it is the product name');
  });

  it('takes n, the words and Enter sent in one burst at an approval', async () => {
    const { term, hello, server } = await start([patchHello, { step: { answer: 'Understood, no change.' } }]);
    ask(term, 'change the greeting');
    await term.waitFor('Apply this change?');
    term.type('nkeep it\r');
    await term.waitFor('Understood, no change.');
    expect(hello()).toBe('hello world\n');
    const second = server.chatBodies[1] as { messages: { role: string; content: string }[] };
    expect(second.messages.find((message) => message.role === 'tool')?.content).toContain('keep it');
  });

  it('runs a !command without asking, shows its output and whether it was sandboxed', async () => {
    const { term, server } = await start([{ step: { answer: 'Noted.' } }]);
    ask(term, '!echo hi from $((40 + 2))');
    const shown = await term.waitFor(/exit 0 · (sandboxed|NOT sandboxed)/);
    expect(shown).toContain('$ echo hi from $((40 + 2))');
    expect(shown).toContain('hi from 42');
    expect(shown).not.toContain('Run this command?');
    ask(term, 'what did it say?');
    await term.waitFor('Noted.');
    const sent = (server.chatBodies[0] as { messages: { content: string }[] }).messages.map((m) => m.content);
    expect(sent.some((content) => content.includes('hi from 42'))).toBe(true);
  });

  it('Esc stops a streaming generation, and the next prompt works', async () => {
    const endless: ScriptedResponse = {
      step: { reasoning: `Thinking hard about this. ${'More thoughts. '.repeat(400)}`, answer: 'never shown' },
      chunkSize: 3,
      delayMs: 30,
    };
    const { term, server } = await start([endless, { step: { answer: 'The second prompt works.' } }]);
    ask(term, 'think a lot');
    await term.waitFor('Thinking hard about this.');
    term.press('Escape');
    await term.waitFor('Interrupted.');
    await term.waitFor(PROMPT_READY);
    ask(term, 'try again');
    await term.waitFor('The second prompt works.');
    expect(term.screen()).not.toContain('never shown');
    const second = server.chatBodies[1] as { messages: { role: string; content: string }[] };
    expect(second.messages.at(-1)).toEqual({ role: 'user', content: 'try again' });
  });

  it('redraws cleanly when the terminal narrows to 60 columns mid-stream', async () => {
    const slow: ScriptedResponse = {
      step: { reasoning: `Weighing the options. ${'Another consideration. '.repeat(60)}`, answer: 'Narrow and done.' },
      chunkSize: 10,
      delayMs: 20,
    };
    const { term } = await start([slow]);
    ask(term, 'think it over');
    await term.waitFor('Weighing the options.');
    term.resize(60, 30);
    const done = await term.waitFor('Narrow and done.');
    // What the terminal rewrapped at the old width is gone, and everything fits the new one.
    expect(done.match(/thinking/g)).toBeNull();
    expect(done.split('\n').every((line) => [...line].length <= 60)).toBe(true);
    expect(done.match(/› think it over/g)).toHaveLength(1);
  });

  it('/review shows the findings on the staged changes, grouped by file with the lines they point at', async () => {
    const finding = {
      file: 'hello.txt',
      line: 1,
      severity: 'high',
      category: 'bug',
      title: 'The greeting lost its name',
      explanation: 'The product is called hello world.',
    };
    const { term, repo } = await start([
      { step: { reasoning: 'The greeting changed.', answer: JSON.stringify({ findings: [finding] }) } },
    ]);
    ask(term, '/review');
    await term.waitFor('Nothing staged to review.');
    repo.write('hello.txt', 'hello there\n');
    repo.git('add', 'hello.txt');
    ask(term, '/review');
    const shown = await term.waitFor('1 finding: 1 high.');
    expect(shown).toContain('Reviewed the staged changes: 1 of 1 files');
    expect(shown).toMatch(/hello\.txt\n {2}HIGH {3}bug hello\.txt:1 The greeting lost its name\n/);
    expect(shown).toContain('1 │ + hello there');
    expect(shown).not.toContain('"findings"');
  });

  it('/fix runs the tests, shows the patch for approval, re-runs them and ends with the summary', async () => {
    const project = copyProject('vitest');
    rmSync(path.join(project.root, 'src', 'broken.test.js'));
    const { term, repo } = await start(
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
      ],
      project,
    );
    ask(term, '/fix');
    await term.waitFor('Tests before the fix: Tests failed: 2 failed');
    await term.waitFor('Apply this change?');
    term.press('y');
    const done = await term.waitFor(/All tests pass now \(4 passed\); 2 fixed\./, 60_000);
    expect(done).toContain('src/math.js | +1 -1');
    expect(readFileSync(path.join(repo.root, 'src/math.js'), 'utf8')).toContain('return a + b;');
    await term.waitFor(PROMPT_READY);
  });

  it('answers slash commands and exits cleanly with Ctrl-D', async () => {
    const { term } = await start([]);
    ask(term, '/mode auto-edit');
    await term.waitFor('Approval mode: auto-edit');
    await term.waitFor(/auto-edit · sandbox: (on|off)/);
    term.press('C-d');
    await term.waitFor('[exited 0]');
  });
});

describe('--resume without an id', { timeout: 120_000 }, () => {
  async function withTwoSessions() {
    const server = await startChatServer([
      { step: { answer: 'The first answer.' } },
      { step: { answer: 'The second answer.' } },
      { step: { answer: 'Back on the first task.' } },
    ]);
    ui.defer(() => server.close());
    const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
    ui.defer(() => repo.remove());
    const home = ui.home();
    const model = ['--endpoint', server.url, '--model', 'gpt-oss-20b'];
    for (const prompt of ['the first task', 'the second task']) {
      expect((await runCli(['exec', ...model, prompt], { cwd: repo.root, env: home.env })).code).toBe(0);
    }
    const open = (args: string[]) => ui.open(args, { cwd: repo.root, home });
    return { open, model, server };
  }

  it('opens a picker of this repository’s sessions and continues the chosen one', async () => {
    const { open, model, server } = await withTwoSessions();
    const term = await open(['--resume', ...model]);
    const picker = await term.waitFor('Continue which session?');
    const second = picker.indexOf('│ › the second task · gpt-oss-20b · just now');
    expect(second).toBeGreaterThan(0);
    expect(picker.indexOf('│   the first task · gpt-oss-20b · just now')).toBeGreaterThan(second);
    expect(picker).toContain('esc start a new session');
    term.press('Down');
    await term.waitFor('› the first task');
    term.press('Enter');
    const resumed = await term.waitFor(/Resumed session \S+\./);
    expect(resumed).toContain('› the first task');
    expect(resumed).toContain('The first answer.');
    expect(resumed).not.toContain('the second task');
    await term.waitFor(PROMPT_READY);
    ask(term, 'where were we?');
    await term.waitFor('Back on the first task.');
    const sent = (server.chatBodies[2] as { messages: { content: string }[] }).messages.map((m) => m.content);
    expect(sent).toContain('The first answer.');
    expect(sent).not.toContain('The second answer.');
  });

  it('takes Down and Enter sent in one burst, or one by one without waiting', async () => {
    const { open, model } = await withTwoSessions();
    const burst = await open(['--resume', ...model]);
    await burst.waitFor('Continue which session?');
    burst.press('Down', 'Enter');
    const resumed = await burst.waitFor(/Resumed session \S+\./);
    expect(resumed).toContain('› the first task');
    expect(resumed).not.toContain('the second task');
    burst.press('C-d');
    await burst.waitFor('[exited 0]');
    const keys = await open(['--resume', ...model]);
    await keys.waitFor('Continue which session?');
    // The session just continued is now the newest: the second task is one row down.
    keys.press('Down');
    keys.press('Up');
    keys.press('Down');
    keys.press('Enter');
    const again = await keys.waitFor(/Resumed session \S+\./);
    expect(again).toContain('› the second task');
    expect(again).not.toContain('the first task');
  });

  it('starts a new session on esc, and --resume ID still takes an id', async () => {
    const { open, model } = await withTwoSessions();
    const term = await open([...model, '--resume']);
    await term.waitFor('Continue which session?');
    term.press('Escape');
    const fresh = await term.waitFor(PROMPT_READY);
    expect(fresh).not.toContain('Resumed session');
    // Only a session the model answered is kept to be resumed.
    term.type('hello');
    term.press('Enter');
    await term.waitFor('Back on the first task.');
    term.press('C-d');
    const id = /--resume (\S+)/.exec(await term.waitFor('[exited 0]'))![1]!;
    const again = await open(['--resume', id, ...model]);
    await again.waitFor(`Resumed session ${id}.`);
  });
});

describe('without a model', { timeout: 120_000 }, () => {
  const MODEL_URL_PATH = '/giladgd/gpt-oss-20b-GGUF/resolve/main/gpt-oss-20b.MXFP4.gguf';

  /** The UI with no model anywhere, a loopback server standing in for Hugging Face with the tiny model. */
  async function startWithoutModel(served: Omit<ServedFile, 'body'>) {
    const body = readFileSync(gptOssModelFile());
    const server = await startFileServer({ [MODEL_URL_PATH]: { body, ...served } });
    ui.defer(() => server.close());
    const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
    ui.defer(() => repo.remove());
    const home = ui.home();
    const term = await ui.open(['--ctx', '4096'], {
      cwd: repo.root,
      home,
      env: { HF_ENDPOINT: server.url, GPTOSS_AGENT_THREADS: '1' },
    });
    const modelFile = path.join(home.env.XDG_CACHE_HOME, 'gptoss-agent', 'models', 'gpt-oss-20b.MXFP4.gguf');
    return { term, body, modelFile };
  }

  it('offers the download, shows its progress while the prompt stays usable, stops on esc, resumes, and loads the model', async () => {
    // The first request stops sending partway, so the download is still running when esc is pressed.
    const { term, body, modelFile } = await startWithoutModel({ stallFirstAfterBytes: 256 * 1024 });
    const offer = await term.waitFor('Download gpt-oss-20b (about 11.3 GB) now?');
    expect(offer.replace(/[│\s]+/g, ' ')).toContain(`It goes to ${modelFile}`);
    term.press('y');
    await term.waitFor(/Downloading gpt-oss-20b… \(.* esc to interrupt\)/);
    // The progress line with the file's size (the bytes counted so far may still read 0 while the first part stalls).
    await term.waitFor(/\[[#-]+\]\s+\d+%\s+[\d.]+ (bytes|KB|MB) \/ 2\.\d MB/);
    term.type('typed while it downloads');
    await term.waitFor('› typed while it downloads');
    term.press('Escape');
    await term.waitFor('Stopped the download of gpt-oss-20b');
    await term.waitFor(/Resume the download of gpt-oss-20b \([\d.]+ (KB|MB) of about 11\.3 GB done\)\?/);
    term.press('y');
    await term.waitFor(`Downloaded gpt-oss-20b to`);
    expect(readFileSync(modelFile).equals(body)).toBe(true);
    await term.waitFor(/gpt-oss-20b\.MXFP4\.gguf @ embedded/, 60_000);
    // What was typed meanwhile is still there: ctrl+c clears it, then ctrl+d leaves.
    term.press('C-c');
    await term.waitFor(PROMPT_READY);
    term.press('C-d');
    await term.waitFor('[exited 0]');
  });

  it('ends with the message of every other mode when the download is declined', async () => {
    const { term, modelFile } = await startWithoutModel({});
    await term.waitFor('Download gpt-oss-20b (about 11.3 GB) now?');
    term.press('n');
    const end = await term.waitFor('[exited 1]');
    expect(end).toContain('No gpt-oss model to run: the default model gpt-oss-20b is not downloaded');
    expect(end).toContain('gptoss-agent pull');
    expect(existsSync(modelFile)).toBe(false);
  });
});

describe('without a terminal', () => {
  it('points to exec and exits 2', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a' });
    ui.defer(() => repo.remove());
    for (const args of [[], ['fix the tests']]) {
      const run = await runCli(args, { cwd: repo.root });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('needs a terminal');
      expect(run.stderr).toContain('gptoss-agent exec "PROMPT"');
    }
  });
});
