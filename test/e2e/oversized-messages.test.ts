// One huge tool call must not ruin a session: the built binary against a loopback
// server that, like a real one, refuses a request larger than its context window.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { runCli } from '../fixtures/cli.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The window the agent is told (--ctx) and what the server accepts: about 4 bytes a token. */
const CONTEXT_TOKENS = 16_384;
const MAX_REQUEST_BYTES = CONTEXT_TOKENS * 4;

/** Answers by the last message: a reply to each prompt, a summary to anything else (a compaction). */
async function setUp(answer: (lastMessage: string) => ScriptedResponse) {
  const refused: number[] = [];
  const sizes: number[] = [];
  const server = await startChatServer((request) => {
    const bytes = Buffer.byteLength(JSON.stringify(request.body));
    sizes.push(bytes);
    if (bytes > MAX_REQUEST_BYTES) {
      refused.push(bytes);
      return {
        status: 400,
        body: {
          error: {
            code: 400,
            type: 'exceed_context_size_error',
            message: 'the request exceeds the available context size, try increasing it',
            n_prompt_tokens: Math.round(bytes / 4),
            n_ctx: CONTEXT_TOKENS,
          },
        },
      };
    }
    const messages = (request.body as { messages: { content?: string }[] }).messages;
    return answer(messages.at(-1)?.content ?? '');
  });
  const repo = makeTempRepo({ 'hello.txt': 'hello\n' });
  const state = mkdtempSync(path.join(os.tmpdir(), 'gptoss-state-'));
  cleanups.push(
    () => server.close(),
    () => repo.remove(),
    () => rmSync(state, { recursive: true, force: true }),
  );
  const exec = (args: string[], input?: string) =>
    runCli(['exec', '--endpoint', server.url, '--model', 'gpt-oss-20b', '--ctx', String(CONTEXT_TOKENS), ...args], {
      cwd: repo.root,
      env: { XDG_STATE_HOME: state },
      timeoutMs: 60_000,
      ...(input !== undefined ? { input } : {}),
    });
  return { server, repo, exec, refused, sizes };
}

describe('oversized messages', () => {
  it('a 5 MB tool call is applied whole, kept cut, and the session goes on and resumes', async () => {
    const rows = Array.from({ length: 500_000 }, (_, i) => `row ${i}`);
    const input = ['*** Begin Patch', '*** Add File: big.txt', ...rows.map((r) => `+${r}`), '*** End Patch'].join('\n');
    expect(input.length).toBeGreaterThan(5_000_000);
    const replies: Record<string, ScriptedResponse> = {
      'write big.txt': { step: { toolCalls: [{ name: 'apply_patch', arguments: { input } }] }, argumentsChunkSize: 0 },
      'and now?': { step: { answer: 'Still here.' } },
      'and after that?': { step: { answer: 'And still.' } },
    };
    const { server, repo, exec, refused } = await setUp(
      (last) =>
        replies[last] ?? { step: { answer: last.startsWith('Applied') ? 'Written.' : 'Summary: big.txt written.' } },
    );

    const first = await exec(['--json', '--approval', 'auto-edit', 'write big.txt']);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(readFileSync(path.join(repo.root, 'big.txt'), 'utf8')).toBe(rows.join('\n') + '\n');
    // The follow-up request carries the call cut, and says so.
    const call = (
      server.chatBodies[1] as { messages: { tool_calls?: { function: { arguments: string } }[] }[] }
    ).messages.find((m) => m.tool_calls)!.tool_calls![0]!.function.arguments;
    expect(call).toContain('the call ran with all of it');

    const resumed = await exec(['--continue', 'and now?']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe('Still here.\n');

    // A session saved by a version that kept the whole message resumes too.
    const log = (JSON.parse(first.stdout.split('\n')[0]!) as { type: string; file: string }).file;
    const message = { role: 'user', content: 'pasted: ' + 'y'.repeat(3_000_000) };
    appendFileSync(log, JSON.stringify({ type: 'history', change: { op: 'append', message } }) + '\n');
    const old = await exec(['--continue', 'and after that?']);
    expect(old.stderr).not.toMatch(/exceeds|too long/);
    expect(old.code).toBe(0);
    expect(old.stdout).toBe('And still.\n');
    expect(refused).toEqual([]);
  }, 120_000);

  it('a server with a smaller window than planned: the conversation is fitted to the size it names, once', async () => {
    const log = Array.from({ length: 6000 }, (_, i) => `line ${i} of the pasted log`).join('\n');
    const { server, exec, refused } = await setUp((last) =>
      last.includes('SUMMARY-MARK')
        ? { step: { answer: 'Done.' } }
        : { step: { answer: 'SUMMARY-MARK: the user pasted a long log and wants it explained.' } },
    );
    // The agent is told a window eight times the server's: only the server's refusal says the real one.
    const run = await exec(['--ctx', String(CONTEXT_TOKENS * 8), '-'], log);
    expect(run.stderr).toContain(
      `The server's context window is ${CONTEXT_TOKENS} tokens; fitting the conversation to it.`,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Done.\n');
    expect(refused).toHaveLength(1);
    expect(server.chatBodies.length).toBe(3);
  }, 120_000);
});
