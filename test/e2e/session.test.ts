// Sessions, resume, undo and init through the built binary, against a real
// loopback chat server; one run is killed with SIGKILL in the middle of a turn.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { runCli, spawnCli } from '../fixtures/cli.js';
import { closedPort } from '../fixtures/file-server.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(responses: ScriptedResponse[]) {
  const server = await startChatServer(responses);
  const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
  const state = mkdtempSync(path.join(os.tmpdir(), 'gptoss-state-'));
  cleanups.push(
    () => server.close(),
    () => repo.remove(),
    () => rmSync(state, { recursive: true, force: true }),
  );
  const env = { XDG_STATE_HOME: state };
  const cli = (args: string[]) => runCli(args, { cwd: repo.root, env });
  const exec = (args: string[]) => cli(['exec', '--endpoint', server.url, '--model', 'gpt-oss-20b', ...args]);
  return { server, repo, env, cli, exec };
}

const patchHello: ScriptedResponse = {
  step: {
    toolCalls: [
      {
        name: 'apply_patch',
        arguments: {
          input: '*** Begin Patch\n*** Update File: hello.txt\n@@\n-hello world\n+hello there\n*** End Patch',
        },
      },
    ],
  },
};

type Body = { messages: { role: string; content: string; tool_calls?: unknown[] }[] };

function sessionId(stderr: string): string {
  const match = /session (\S+) \(continue it with --resume/.exec(stderr);
  if (!match) throw new Error(`no session id in: ${stderr}`);
  return match[1]!;
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sessions through the binary', () => {
  it('resumes a session after a clean exit, by id and with --continue, and lists it', async () => {
    const { server, cli, exec } = await setUp([
      { step: { answer: 'The first answer.' } },
      { step: { answer: 'The second answer.' } },
      { step: { answer: 'The third answer.' } },
    ]);
    const first = await exec(['What is this?']);
    expect(first.code).toBe(0);
    const id = sessionId(first.stderr);

    const second = await exec(['--resume', id, 'Tell me more.']);
    expect(second.code).toBe(0);
    expect(sessionId(second.stderr)).toBe(id);
    const sent = (server.chatBodies[1] as Body).messages.map((m) => [m.role, m.content]);
    expect(sent.slice(1)).toEqual([
      ['user', 'What is this?'],
      ['assistant', 'The first answer.'],
      ['user', 'Tell me more.'],
    ]);

    expect((await exec(['--continue', 'And?'])).code).toBe(0);
    expect((server.chatBodies[2] as Body).messages.map((m) => m.content)).toContain('The second answer.');

    const listing = await cli(['sessions']);
    expect(listing.stdout).toMatch(new RegExp(`^${id}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  What is this\\?$`, 'm'));
  });

  it('keeps no session from a run whose connection was refused: sessions and --continue skip it', async () => {
    const { exec, cli } = await setUp([{ step: { answer: 'ok' } }, { step: { answer: 'continued' } }]);
    const id = sessionId((await exec(['hi'])).stderr);
    const refused = await cli([
      'exec',
      '--endpoint',
      `127.0.0.1:${await closedPort()}`,
      '--model',
      'gpt-oss-20b',
      'hi',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).not.toContain('continue it with --resume');
    const listed = await cli(['sessions', '--json']);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { id: string }).id),
    ).toEqual([id]);
    const resumed = await exec(['--continue', 'go on']);
    expect(resumed.stdout).toBe('continued\n');
    expect(sessionId(resumed.stderr)).toBe(id);
  });

  it('says which sessions exist when asked to resume one that does not', async () => {
    const { exec } = await setUp([{ step: { answer: 'ok' } }]);
    const id = sessionId((await exec(['hi'])).stderr);
    const run = await exec(['--resume', 'nope', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No session "nope"/);
    expect(run.stderr).toContain(id);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('after kill -9 mid-turn: the log reads up to its last line, no file is half-written, and the thread goes on', async () => {
    const slowAnswer: ScriptedResponse = {
      step: { reasoning: 'Now I should tell the user what changed. '.repeat(10), answer: 'Done. '.repeat(50) },
      delayMs: 40,
    };
    const { server, repo, env, exec, cli } = await setUp([
      patchHello,
      slowAnswer,
      { step: { answer: 'Picked up the thread.' } },
    ]);
    const running = spawnCli(
      [
        'exec',
        '--endpoint',
        server.url,
        '--model',
        'gpt-oss-20b',
        '--approval',
        'auto-edit',
        '--json',
        'change the greeting',
      ],
      { cwd: repo.root, env },
    );
    cleanups.push(() => running.child.kill('SIGKILL'));
    // Killed while the model streams its second generation, after the patch was applied.
    await waitFor(() => server.chatBodies.length >= 2 && running.stdout.split('"reasoning.delta"').length > 3);
    running.child.kill('SIGKILL');
    expect((await running.exited).signal).toBe('SIGKILL');

    const opened = JSON.parse(running.stdout.split('\n')[0]!) as { type: string; id: string; file: string };
    expect(opened.type).toBe('session.opened');
    const lines = readFileSync(opened.file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const records = lines.filter(Boolean).map((line) => JSON.parse(line) as { type: string });
    expect(records.some((r) => r.type === 'checkpoint')).toBe(true);

    // The patch was written whole, and no temporary file was left behind.
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('hello there\n');
    expect(repo.git('status', '--porcelain')).toBe(' M hello.txt\n');

    const resumed = await exec(['--continue', 'keep going']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe('Picked up the thread.\n');
    expect(resumed.stderr).toContain('The last turn of this session was cut off');
    const sent = (server.chatBodies[2] as Body).messages;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
    expect(sent[1]!.content).toBe('change the greeting');
    expect(sent[3]!.content).toMatch(/^Applied: M hello\.txt/);
    expect(sent[4]!.content).toBe('keep going');

    // The checkpoint written before the kill still undoes the patch.
    const undo = await cli(['undo']);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain(`Undid 1 change(s) of session ${opened.id}`);
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('hello world\n');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('undo refuses with the conflict shown when the file was edited by hand, and exits 1', async () => {
    const { repo, exec, cli } = await setUp([patchHello, { step: { answer: 'Changed.' } }]);
    expect((await exec(['--approval', 'auto-edit', 'change the greeting'])).code).toBe(0);
    repo.write('hello.txt', 'hello there\nmy own line\n');
    const undo = await cli(['undo']);
    expect(undo.code).toBe(1);
    expect(undo.stderr).toMatch(/Nothing was undone: hello\.txt changed after the agent's edit/);
    expect(undo.stderr).toContain('+my own line');
    expect(readFileSync(path.join(repo.root, 'hello.txt'), 'utf8')).toBe('hello there\nmy own line\n');
    expect((await cli(['undo', 'two'])).code).toBe(2);
  });

  it('init writes the proposed AGENTS.md with --approval auto-edit, and undo takes it back', async () => {
    const agentsMd = '# AGENTS.md\n\nRun the tests with `make check`.';
    const { repo, cli, server } = await setUp([
      { step: { toolCalls: [{ name: 'list_files', arguments: {} }] } },
      { step: { answer: agentsMd } },
      { step: { answer: agentsMd } },
    ]);
    const file = path.join(repo.root, 'AGENTS.md');

    const headless = await cli(['init', '--endpoint', server.url, '--model', 'gpt-oss-20b']);
    expect(headless.code).toBe(0);
    expect(headless.stdout).toContain('+Run the tests with `make check`.');
    expect(headless.stderr).toMatch(/AGENTS\.md was not written: .* --approval auto-edit/);
    expect(existsSync(file)).toBe(false);

    const approved = await cli(['init', '--endpoint', server.url, '--model', 'gpt-oss-20b', '-a', 'auto-edit']);
    expect(approved.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(`${agentsMd}\n`);
    expect((await cli(['undo'])).code).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});
