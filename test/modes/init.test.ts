import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setUpAgent } from '../../src/modes/agent-setup.js';
import { initInSession } from '../../src/modes/init.js';
import { startChatServer } from '../fixtures/chat-server.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('init in a session', () => {
  it("explores with the session's reasoning effort and step limit", async () => {
    const server = await startChatServer([
      { step: { toolCalls: [{ name: 'read_file', arguments: { path: 'package.json' } }] } },
      { step: { toolCalls: [{ name: 'list_files', arguments: {} }] } },
    ]);
    const repo = makeTempRepo({ 'package.json': '{"scripts":{"test":"vitest"}}\n' });
    const state = makeTempRepo({}, { git: false });
    cleanups.push(
      () => server.close(),
      () => repo.remove(),
      () => state.remove(),
    );
    const setup = await setUpAgent({
      cwd: repo.root,
      flags: { endpoint: server.url, model: 'gpt-oss-20b', reasoning: 'high', maxSteps: 1 },
      env: { XDG_STATE_HOME: path.join(state.root, 'state'), XDG_CONFIG_HOME: path.join(state.root, 'config') },
      emit: () => {},
      approver: async () => ({ approved: true }),
    });
    cleanups.push(async () => {
      setup.session.close();
      await setup.backend.dispose();
    });

    const result = await initInSession(setup, {
      approver: async () => ({ approved: true }),
      signal: new AbortController().signal,
    });

    // --max-steps 1: the turn ends after the first call, before a second generation.
    expect(server.chatBodies.map((body) => body.reasoning_effort)).toEqual(['high']);
    expect(result).toMatchObject({
      status: 'failed',
      message: 'No AGENTS.md was proposed: the turn ended (max_steps).',
    });
    expect(() => readFileSync(path.join(repo.root, 'AGENTS.md'))).toThrow(/ENOENT/);
  });
});
