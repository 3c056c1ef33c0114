// The Sandbox service's behaviour around a command: timeouts and interrupts
// end the whole process tree, output is capped keeping head and tail, and
// where bubblewrap cannot run (or the user turned it off) commands still
// run, unsandboxed, with the same scrubbed environment, and say so.
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../../../tools/sandbox/sandbox.js';
import { eventually, processesStartingWith } from '../../fixtures/processes.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function repo(): TempRepo {
  const made = makeTempRepo({ 'a.txt': 'a\n' });
  repos.push(made);
  return made;
}

const unavailable = async () => ({
  available: false,
  reason: 'bubblewrap (bwrap) is not installed.',
  fix: 'Install it: sudo apt install bubblewrap.',
});

const kinds = [
  ['in bubblewrap', () => new Sandbox({ enabled: true, env: process.env })],
  ['without the sandbox', () => new Sandbox({ enabled: false, env: process.env })],
] as const;

describe.each(kinds)('a command %s', (_kind, makeSandbox) => {
  it('is stopped at its timeout with everything it started', async () => {
    const { root } = repo();
    const word = `31.${process.pid}${Date.now() % 1000}`;
    const controller = new AbortController();
    const started = Date.now();
    const result = await makeSandbox().run({
      root,
      cwd: root,
      command: `sleep ${word}1 & sleep ${word}2; echo never`,
      timeoutMs: 500,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ timedOut: true, exitCode: null });
    expect(result.stdout).not.toContain('never');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await eventually(() => processesStartingWith(`sleep ${word}`).length === 0, 10_000)).toBe(true);
  });

  it('is stopped when the user interrupts', async () => {
    const { root } = repo();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await makeSandbox().run({
      root,
      cwd: root,
      command: 'echo started; sleep 30',
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ aborted: true, timedOut: false, stdout: 'started\n' });
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('keeps the start and the end of a long output and says how much was cut', async () => {
    const { root } = repo();
    const result = await makeSandbox().run({
      root,
      cwd: root,
      command: 'seq 1 100000',
      timeoutMs: 20_000,
      signal: new AbortController().signal,
      maxOutputChars: 2000,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.stdout.endsWith('99999\n100000\n')).toBe(true);
    expect(result.cutChars).toBe(588_895 - 2000);
    expect(result.stdout).toContain(`[… ${588_895 - 2000} characters of output cut …]`);
  });

  it('interleaves standard error with standard output when asked, and strips colour codes', async () => {
    const { root } = repo();
    const result = await makeSandbox().run({
      root,
      cwd: root,
      command: "echo one; echo two >&2; printf '\\033[31mred\\033[0m\\n'; exit 3",
      mergeStderr: true,
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'one\ntwo\nred\n', stderr: '' });
  });
});

describe('where bubblewrap cannot run', () => {
  it('runs commands directly, scrubbed, and says why and how to fix it', async () => {
    const { root } = repo();
    const sandbox = new Sandbox({
      enabled: true,
      env: { ...process.env, GITHUB_TOKEN: 'ghp_secret' },
      probe: unavailable,
    });
    expect(await sandbox.state()).toEqual({
      sandboxed: false,
      reason: 'bubblewrap (bwrap) is not installed.',
      fix: 'Install it: sudo apt install bubblewrap.',
    });
    const result = await sandbox.run({
      root,
      cwd: root,
      command: 'env',
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });
    expect(result.sandboxed).toBe(false);
    expect(result.stdout).toMatch(/^PATH=/m);
    expect(result.stdout).not.toContain('ghp_secret');
  });

  it('says the user turned it off', async () => {
    const sandbox = new Sandbox({ enabled: false, env: process.env, probe: unavailable });
    expect(await sandbox.state()).toEqual({
      sandboxed: false,
      reason: 'the sandbox was turned off with --no-sandbox',
    });
  });
});
