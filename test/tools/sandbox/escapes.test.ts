// Each way out of the sandbox must fail, checked against the real
// bubblewrap: writes outside the repository and under .git, reading the
// user's SSH keys and secret variables, the network, remounting / (this
// suite runs as root in CI, where only --cap-drop ALL stops it), kernel
// settings, and outliving the agent.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type SandboxResult } from '../../../tools/sandbox/sandbox.js';
import { probeSandbox } from '../../../tools/sandbox/probe.js';
import { cliPath } from '../../fixtures/cli.js';
import { eventually, processesStartingWith } from '../../fixtures/processes.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const onLinux = process.platform === 'linux';

describe.runIf(onLinux)('the sandbox holds', () => {
  let repo: TempRepo;
  let outside: string;
  let home: string;
  let sandbox: Sandbox;

  beforeAll(async () => {
    const probe = await probeSandbox();
    // CI installs bubblewrap; a machine without it must say so rather than pass these tests vacuously.
    if (!probe.available) throw new Error(`these tests need bubblewrap: ${probe.reason} ${probe.fix}`);
    repo = makeTempRepo({ 'a.txt': 'a\n' });
    // Outside both the repository and /tmp (which the sandbox replaces), on the read-only rest of the system.
    outside = mkdtempSync('/var/tmp/gptoss-outside-');
    home = mkdtempSync('/var/tmp/gptoss-home-');
    mkdirSync(path.join(home, '.ssh'));
    writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'PRIVATE-KEY-MATERIAL\n');
    sandbox = new Sandbox({
      enabled: true,
      env: { ...process.env, HOME: home, OPENAI_API_KEY: 'sk-secret-value', AWS_SECRET_ACCESS_KEY: 'aws-secret' },
    });
  });

  afterAll(() => {
    repo?.remove();
    for (const dir of [outside, home]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const run = (command: string, timeoutMs = 20_000): Promise<SandboxResult> =>
    sandbox.run({
      root: repo.root,
      cwd: repo.root,
      command,
      mergeStderr: true,
      timeoutMs,
      signal: new AbortController().signal,
    });

  it('runs commands sandboxed and lets them write inside the repository', async () => {
    // A warning may come with it (root without a cgroup), but never a reason to run unsandboxed.
    expect(await sandbox.state()).toMatchObject({ sandboxed: true });
    expect(await sandbox.state()).not.toHaveProperty('reason');
    const result = await run('echo made > made.txt && cat a.txt made.txt');
    expect(result).toMatchObject({ exitCode: 0, sandboxed: true, stdout: 'a\nmade\n' });
    expect(readFileSync(path.join(repo.root, 'made.txt'), 'utf8')).toBe('made\n');
  });

  it('cannot write outside the repository', async () => {
    const target = path.join(outside, 'escaped.txt');
    const result = await run(`echo x > ${target}`);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(/Read-only file system/);
    expect(existsSync(target)).toBe(false);
  });

  it('cannot write under .git', async () => {
    const before = readFileSync(path.join(repo.root, '.git', 'HEAD'), 'utf8');
    const result = await run('echo "ref: refs/heads/evil" > .git/HEAD; touch .git/hooks/pre-commit; echo $?');
    expect(result.stdout).toMatch(/Read-only file system/);
    expect(readFileSync(path.join(repo.root, '.git', 'HEAD'), 'utf8')).toBe(before);
    expect(existsSync(path.join(repo.root, '.git', 'hooks', 'pre-commit'))).toBe(false);
  });

  it('cannot read ~/.ssh or the secrets in the environment', async () => {
    const result = await run(`cat ~/.ssh/id_ed25519 ${home}/.ssh/id_ed25519; env`);
    expect(result.stdout).toMatch(/No such file or directory/);
    expect(result.stdout).not.toContain('PRIVATE-KEY-MATERIAL');
    expect(result.stdout).not.toContain('sk-secret-value');
    expect(result.stdout).not.toContain('aws-secret');
    expect(result.stdout).toMatch(/^PATH=/m);
  });

  describe('with a server listening on the host', () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        connections++;
        socket.end('hello from the host\n');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('cannot open a network connection', async () => {
      const connect = (host: string) =>
        `node -e "require('net').connect(${port}, '${host}').on('connect', () => console.log('CONNECTED ${host}')).on('error', (e) => console.log('refused ${host}', e.code))"`;
      const result = await run(`${connect('127.0.0.1')}; ${connect('1.1.1.1')}`);
      expect(result.stdout).not.toContain('CONNECTED');
      expect(result.stdout).toMatch(/refused 127\.0\.0\.1 ECONNREFUSED/);
      expect(result.stdout).toMatch(/refused 1\.1\.1\.1 (ENETUNREACH|EHOSTUNREACH)/);
      expect(connections).toBe(0);
    });
  });

  it('cannot remount / read-write, even as root', async () => {
    const marker = `/usr/gptoss-escape-${process.pid}`;
    try {
      const result = await run(
        `id -u; mount -o remount,bind,rw / && echo REMOUNTED; ` +
          `unshare -Urm sh -c 'mount -o remount,bind,rw / && echo REMOUNTED-IN-USERNS'; touch ${marker}; echo done`,
      );
      expect(result.stdout).toContain('done');
      expect(result.stdout).not.toContain('REMOUNTED');
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(marker, { force: true });
    }
  });

  it('cannot change kernel settings', async () => {
    // Writing the current value back changes nothing even if it got through.
    const result = await run('v=$(cat /proc/sys/kernel/pid_max) && echo "$v" > /proc/sys/kernel/pid_max && echo WROTE');
    expect(result.stdout).not.toContain('WROTE');
    expect(result.stdout).toMatch(/Read-only file system|Permission denied/);
  });

  it('does not outlive the agent when the agent is killed', async () => {
    const word = `4242.${process.pid}${Date.now() % 1000}`;
    // The command starts a detached, double-forked sleeper as well as a plain one.
    const command = `(setsid sleep ${word}1 &) ; sleep ${word}2`;
    const agent = spawn(
      process.execPath,
      [cliPath, 'tool', 'shell', JSON.stringify({ command }), '--approval', 'full-auto'],
      {
        cwd: repo.root,
        stdio: 'ignore',
      },
    );
    try {
      expect(await eventually(() => processesStartingWith(`sleep ${word}`).length === 2, 10_000)).toBe(true);
      agent.kill('SIGKILL');
      expect(await eventually(() => processesStartingWith(`sleep ${word}`).length === 0, 5000)).toBe(true);
    } finally {
      agent.kill('SIGKILL');
      for (const pid of processesStartingWith(`sleep ${word}`)) process.kill(pid, 'SIGKILL');
    }
  });
});
