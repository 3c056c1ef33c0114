// The built binary's `exec` mode against a loopback server that answers as vLLM:
// by default the agent speaks raw harmony to it; --harmony chat keeps it on Chat Completions.
import { decode } from 'gpt-tokenizer/encoding/o200k_harmony';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { startDialectServer } from '../fixtures/server-dialects.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('gptoss-agent exec against vLLM', () => {
  it('renders harmony itself, runs the call the model wrote, and sends the result back in harmony', async () => {
    const server = await startDialectServer('vllm', [
      {
        harmony:
          '<|channel|>analysis<|message|>Read it.<|end|><|start|>assistant<|channel|>commentary to=functions.read_file ' +
          '<|constrain|>json<|message|>{"path":"hello.txt"}<|call|>',
      },
      { harmony: '<|channel|>final<|message|>It says hello world.<|return|>' },
    ]);
    const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
    cleanups.push(
      () => server.close(),
      () => repo.remove(),
    );
    const run = await runCli(['exec', '--endpoint', server.url, 'What does hello.txt say?'], { cwd: repo.root });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('It says hello world.\n');
    expect(server.generations.map((r) => r.path)).toEqual(['/v1/completions', '/v1/completions']);
    // Sent as token ids, so that text in a file can never become harmony structure.
    const second = decode(server.generations[1]!.body.prompt as number[]);
    expect(second).toMatch(
      /<\|start\|>functions\.read_file to=assistant<\|channel\|>commentary<\|message\|>[^]*hello world[^]*<\|end\|><\|start\|>assistant$/,
    );
  });

  it('keeps to Chat Completions with --harmony chat', async () => {
    const server = await startDialectServer('vllm', [{ chat: { answer: 'Hi.' } }]);
    const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
    cleanups.push(
      () => server.close(),
      () => repo.remove(),
    );
    const run = await runCli(['exec', '--endpoint', server.url, '--harmony', 'chat', 'hi'], { cwd: repo.root });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Hi.\n');
    expect(server.generations.map((r) => r.path)).toEqual(['/v1/chat/completions']);
  });
});
