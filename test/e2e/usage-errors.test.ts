// Mistakes in how the binary is called: exit 2 and one line that says what is wrong,
// never a stack trace; a broken setting in a config file says which file and key.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

function cli(args: string[]) {
  repo ??= makeTempRepo({ 'hello.txt': 'hello\n' });
  return runCli(args, { cwd: repo.root });
}

/** The first line of stderr names the mistake; the second only points at --help. */
function expectUsageError(run: { code: number | null; stdout: string; stderr: string }, says: string) {
  expect(run.stderr).not.toContain('unexpected error');
  expect(run.stderr).not.toMatch(/^\s+at /m);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines[0]).toContain(says);
  expect(lines.slice(1)).toEqual([expect.stringMatching(/^Run "gptoss-agent.* --help" for usage\.$/)]);
  expect(run.code).toBe(2);
}

// Port 1 on loopback: nothing listens, and no run below gets as far as connecting.
const ENDPOINT = ['--endpoint', 'http://127.0.0.1:1/v1', '--model', 'gpt-oss-20b'];

describe('usage errors', () => {
  it.each([
    [['--endpoint', 'ftp://127.0.0.1/v1'], '--endpoint "ftp://127.0.0.1/v1" uses ftp://'],
    [['--endpoint', 'http://[::1'], '--endpoint "http://[::1" is not a URL; use one like http://127.0.0.1:8080/v1'],
    [['--endpoint', 'http://127.0.0.1:99999/v1'], 'has port 99999, but ports go from 1 to 65535'],
    [[...ENDPOINT, '--ctx', '99999999999'], '--ctx must be a whole number of tokens from 512 to 131072'],
    [[...ENDPOINT, '--max-steps', '1e3'], '--max-steps must be a positive whole number (got "1e3")'],
    [[...ENDPOINT, '--max-steps', '0'], '--max-steps must be a positive whole number (got "0")'],
    [[...ENDPOINT, '--max-output-tokens', '0'], '--max-output-tokens must be a positive whole number (got "0")'],
    [[...ENDPOINT, '-C', '/nonexistent'], '-C /nonexistent: no such directory'],
    [[...ENDPOINT, '-C', 'hello.txt'], '-C hello.txt: no such directory'],
  ])('exec %j', async (args, says) => {
    expectUsageError(await cli(['exec', ...args, 'hi']), says);
  });

  it.each([
    ['fix', ...ENDPOINT],
    ['review', ...ENDPOINT],
    ['init', ...ENDPOINT],
    ['doctor', ...ENDPOINT],
    ['undo'],
    ['sessions'],
    ['tool', 'read_file', '{"path":"hello.txt"}'],
  ])('%s -C /nonexistent', async (...args) => {
    expectUsageError(await cli([...args, '-C', '/nonexistent']), '-C /nonexistent: no such directory');
  });

  it('a bad endpoint in doctor and fix is a usage error too', async () => {
    expectUsageError(await cli(['doctor', '--endpoint', 'http://[::1']), 'is not a URL');
    expectUsageError(await cli(['fix', '--endpoint', 'ftp://x']), 'uses ftp://');
  });

  it('an unknown session or model file is named in one message, without a stack trace', async () => {
    const resume = await cli(['exec', ...ENDPOINT, '--resume', 'nope', 'hi']);
    expect(resume.stderr.trim()).toMatch(
      /^There is no saved session for .* yet \(sessions are kept per repository\)\.$/,
    );
    expect(resume.code).toBe(1);
    const model = await cli(['exec', '--model', '/nonexistent/model.gguf', 'hi']);
    expect(model.stderr).toContain('the model file /nonexistent/model.gguf (from --model) does not exist');
    expect(model.stderr).not.toMatch(/^\s+at /m);
    expect(model.code).toBe(1);
  });

  it('a bad endpoint in the user config names the file and the key, exit 1', async () => {
    repo = makeTempRepo({ 'hello.txt': 'hello\n' });
    const config = path.join(repo.root, '.user-config');
    mkdirSync(path.join(config, 'gptoss-agent'), { recursive: true });
    writeFileSync(path.join(config, 'gptoss-agent', 'config.json'), JSON.stringify({ endpoint: 'ftp://host/v1' }));
    const run = await runCli(['exec', 'hi'], { cwd: repo.root, env: { XDG_CONFIG_HOME: config } });
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr.trim()).toBe(
      `${path.join(config, 'gptoss-agent', 'config.json')}: "endpoint" must be an http:// or https:// URL ` +
        'of an OpenAI-compatible server, such as http://127.0.0.1:8080/v1.',
    );
    expect(run.code).toBe(1);
  });
});
