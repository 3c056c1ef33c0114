// What `exec` says and keeps when the server misbehaves: a web page instead of the API,
// a stream cut in the middle of the answer, a stream that never ends.
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { runCli } from '../fixtures/cli.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(responses: ScriptedResponse[]) {
  const server = await startChatServer(responses);
  const repo = makeTempRepo({ 'hello.txt': 'hello\n' });
  cleanups.push(
    () => server.close(),
    () => repo.remove(),
  );
  const exec = (args: string[]) =>
    runCli(['exec', '--endpoint', server.url, '--model', 'gpt-oss-20b', ...args], {
      cwd: repo.root,
      timeoutMs: 60_000,
    });
  return { server, exec };
}

describe('exec against a misbehaving server', () => {
  it('says a web page is not the API and where to look, without retrying', async () => {
    const page = '<html><head><title>Welcome to nginx!</title></head><body>It works</body></html>';
    const { server, exec } = await setUp([{ status: 200, body: page, headers: { 'content-type': 'text/html' } }]);
    const run = await exec(['hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error: ${server.url}/chat/completions answered with a web page (text/html, "Welcome to nginx!"), not an OpenAI-compatible API`,
    );
    expect(run.stderr).toMatch(/Check the URL and path of --endpoint/);
    expect(run.stderr).not.toMatch(/crashed|retrying/);
    expect(server.chatBodies).toHaveLength(1);
  });

  it('shows and keeps an answer cut mid-stream, says so, and the next turn sees it marked as cut', async () => {
    const answer = 'First, open the config file. Then change the port to 8081 and restart.';
    const { server, exec } = await setUp([
      { step: { answer }, chunkSize: 10, cutAfterChunks: 4 },
      { step: { answer: 'Then restart it.' } },
    ]);
    const run = await exec(['how do I change the port?']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${answer.slice(0, 30)}\n`);
    expect(run.stderr).toContain(`${server.url} closed the stream in the middle of the answer, after 3 tokens`);
    expect(run.stderr).not.toMatch(/Could not connect|retrying/);
    expect(server.chatBodies).toHaveLength(1);

    const next = await exec(['--continue', 'and then?']);
    expect(next.code).toBe(0);
    const messages = (server.chatBodies[1] as { messages: { role: string; content: string }[] }).messages;
    expect(messages.at(-2)).toEqual({
      role: 'assistant',
      content: `${answer.slice(0, 30)}\n[Cut off here: ${server.url} closed the stream in the middle of the answer, after 3 tokens; what arrived is kept.]`,
    });
  });

  it('stops a server that streams without end at the output limit and says why', async () => {
    const { server, exec } = await setUp([{ endless: { text: 'blah ', maxChunks: 1_000_000 } }]);
    const run = await exec(['--max-output-tokens', '40', 'talk']);
    expect(server.chatBodies[0]).toMatchObject({ max_tokens: 40 });
    expect(run.stdout).toBe(`${'blah '.repeat(41)}\n`);
    expect(run.stderr).toContain("The model's answer reached the output limit of 40 tokens");
    expect(run.stderr).toMatch(/--max-output-tokens/);
    expect(run.code).toBe(1);
  });
});
