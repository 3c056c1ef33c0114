// A program the agent starts on the host (bubblewrap, git, ripgrep, the shell of an
// unsandboxed command) is looked up on the user's PATH. A relative entry there ("." or
// an empty one, which execvp reads as ".") names whatever directory the agent runs in:
// the repository. A repository that ships an executable `bwrap`, `git`, `rg` or `bash`
// must never have it run on the host; the real program is used instead.
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkGit } from '../../src/doctor/tool-checks.js';
import { findExecutable } from '../../tools/processes/find-executable.js';
import { prepareHostGit } from '../../tools/git/host-git.js';
import { runGit } from '../../tools/git/run-git.js';
import { runRipgrep } from '../../tools/grep/ripgrep.js';
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import { probeSandbox } from '../../tools/sandbox/probe.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const onLinux = process.platform === 'linux';
const PLANTED = ['bwrap', 'git', 'rg', 'bash', 'sh'];

describe.runIf(onLinux)('programs the repository plants on a relative PATH entry', () => {
  let repo: TempRepo;
  let marker: string;
  let hostDir: string;
  const savedPath = process.env.PATH;
  const savedCwd = process.cwd();

  beforeAll(async () => {
    const probe = await probeSandbox();
    if (!probe.available) throw new Error(`these tests need bubblewrap: ${probe.reason} ${probe.fix}`);
    repo = makeTempRepo({ 'a.txt': 'a\n' });
    // A host directory the sandbox shows read-only: only a planted program run on the host can write there
    // (inside the sandbox, a planted program is confined like any other).
    hostDir = mkdtempSync('/var/tmp/gptoss-path-');
    marker = path.join(hostDir, 'HOST-RAN');
    for (const name of PLANTED) {
      repo.write(name, `#!/bin/sh\necho "${name} $*" >> '${marker}'\necho planted\n`);
      chmodSync(path.join(repo.root, name), 0o755);
    }
    // The agent runs at the repository's root, as users start it.
    process.chdir(repo.root);
  });

  afterEach(() => {
    process.env.PATH = savedPath;
    // Each attack is judged on its own.
    rmSync(marker, { force: true });
  });

  afterAll(() => {
    process.chdir(savedCwd);
    repo?.remove();
    if (hostDir) rmSync(hostDir, { recursive: true, force: true });
  });

  /** "." first, as some users have it; the empty entry is the same to execvp. */
  const hostPath = (): string => `.:${savedPath ?? '/usr/bin:/bin'}`;
  const ran = (): boolean => existsSync(marker);

  it('looks programs up only in absolute PATH entries', () => {
    const env = { PATH: hostPath() };
    for (const name of ['bwrap', 'git', 'rg']) {
      const found = findExecutable(name, env);
      if (found !== undefined) expect(path.isAbsolute(found) && !found.startsWith(repo.root)).toBe(true);
    }
    expect(findExecutable('bwrap', { PATH: '.' })).toBeUndefined();
    expect(findExecutable('git', { PATH: 'sub/..' })).toBeUndefined();
  });

  it('probes and runs the real bubblewrap, not the repository one', async () => {
    const env = { ...process.env, PATH: hostPath() };
    const probe = await probeSandbox({ env });
    expect(probe.available).toBe(true);
    expect(probe.bwrap?.startsWith('/')).toBe(true);
    const sandbox = new Sandbox({ enabled: true, env });
    const result = await sandbox.run({
      root: repo.root,
      cwd: repo.root,
      command: 'cat a.txt',
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });
    expect(result.sandboxed).toBe(true);
    expect(ran()).toBe(false);
  });

  it('starts an unsandboxed command with the system shell, not the repository one', async () => {
    // Once approved (the sandbox off), the command runs on the host: its shell must be the user's.
    const sandbox = new Sandbox({ enabled: false, env: { ...process.env, PATH: hostPath() } });
    const shell = await sandbox.run({
      root: repo.root,
      cwd: repo.root,
      command: 'echo from-shell',
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });
    expect(shell.stdout).toBe('from-shell\n');
    const argv = await sandbox.run({
      root: repo.root,
      cwd: repo.root,
      argv: ['git', '--version'],
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });
    expect(argv.stdout).toMatch(/^git version/);
    expect(ran()).toBe(false);
  });

  it('doctor asks the real git for its version', async () => {
    process.env.PATH = hostPath();
    const check = await checkGit();
    expect(check.status).toBe('ok');
    expect(check.detail).toMatch(/^git version/);
    expect(ran()).toBe(false);
  });

  it('doctor does not read an empty PATH entry as the current directory', async () => {
    process.env.PATH = `:${savedPath ?? '/usr/bin:/bin'}`;
    const check = await checkGit();
    expect(check.detail).toMatch(/^git version/);
    expect(ran()).toBe(false);
  });
});

// The same programs on an absolute PATH entry inside the repository: `npx` puts
// <repo>/node_modules/.bin first on PATH, direnv's PATH_add <repo>/bin too.
describe.runIf(onLinux)('programs the repository plants on a PATH entry inside it', () => {
  let repo: TempRepo;
  let marker: string;
  let hostDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    repo = makeTempRepo({ 'a.txt': 'a\n' });
    hostDir = mkdtempSync('/var/tmp/gptoss-path-');
    marker = path.join(hostDir, 'HOST-RAN');
    for (const name of PLANTED) {
      repo.write(`node_modules/.bin/${name}`, `#!/bin/sh\necho "${name} $*" >> '${marker}'\necho planted\n`);
      chmodSync(path.join(repo.root, 'node_modules/.bin', name), 0o755);
    }
    env = { ...process.env, PATH: `${repo.root}/node_modules/.bin:${process.env.PATH ?? '/usr/bin:/bin'}` };
  });

  afterEach(() => rmSync(marker, { force: true }));

  afterAll(() => {
    repo?.remove();
    if (hostDir) rmSync(hostDir, { recursive: true, force: true });
  });

  const ran = (): boolean => existsSync(marker);

  it('probes and runs the real bubblewrap', async () => {
    const probe = await probeSandbox({ env, outside: repo.root });
    expect(probe.available).toBe(true);
    expect(probe.bwrap?.startsWith(repo.root)).toBe(false);
    const sandbox = new Sandbox({ enabled: true, env, root: repo.root });
    const result = await sandbox.run({
      root: repo.root,
      cwd: repo.root,
      command: 'true',
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });
    expect(result.sandboxed).toBe(true);
    expect(ran()).toBe(false);
  });

  it('starts an unsandboxed command with the system shell', async () => {
    const sandbox = new Sandbox({ enabled: false, env, root: repo.root });
    const result = await sandbox.run({
      root: repo.root,
      cwd: repo.root,
      command: 'echo from-shell',
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });
    expect(result.stdout).toBe('from-shell\n');
    expect(ran()).toBe(false);
  });

  it('runs the real git for the agent, and git finds no program in the repository either', async () => {
    const saved = process.env.PATH;
    process.env.PATH = env.PATH;
    let output: { text: string };
    try {
      output = await runGit(repo.root, ['log', '--format=%s', '-1']);
    } finally {
      process.env.PATH = saved;
    }
    const git = await prepareHostGit(repo.root, ['status'], { baseEnv: env });
    expect(git.program.startsWith(repo.root)).toBe(false);
    expect(git.env.PATH?.split(':')).not.toContain(`${repo.root}/node_modules/.bin`);
    expect(output.text).not.toContain('planted');
    expect(await checkGit(repo.root, env)).toMatchObject({ status: 'ok' });
    expect(ran()).toBe(false);
  });

  it('does not run an rg found inside the repository', async () => {
    const rg = path.join(repo.root, 'node_modules/.bin/rg');
    await expect(
      runRipgrep(rg, ['--files'], { cwd: repo.root, signal: new AbortController().signal, onRecord: () => undefined }),
    ).rejects.toThrow(/inside the repository/);
    expect(ran()).toBe(false);
  });
});
