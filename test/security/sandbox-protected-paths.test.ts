// What a sandboxed command must not read or write even where the file
// system would let it: the host's credential files (this suite runs as root,
// which owns them), and the agent's own settings in the repository
// (.gptoss-agent) whether or not the repository has them yet, without
// leaving an empty directory behind. `git init` in a directory that is not a
// repository still works: users ask for it.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type SandboxResult } from '../../tools/sandbox/sandbox.js';
import { probeSandbox } from '../../tools/sandbox/probe.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const onLinux = process.platform === 'linux';

describe.runIf(onLinux)('paths the sandbox protects', () => {
  let sandbox: Sandbox;
  const repos: TempRepo[] = [];

  beforeAll(async () => {
    const probe = await probeSandbox();
    if (!probe.available) throw new Error(`these tests need bubblewrap: ${probe.reason} ${probe.fix}`);
    sandbox = new Sandbox({ enabled: true, env: process.env });
  });

  afterEach(() => {
    for (const repo of repos.splice(0)) repo.remove();
  });

  const repo = (files: Record<string, string> = { 'a.txt': 'a\n' }, options: { git?: boolean } = {}): TempRepo => {
    const made = makeTempRepo(files, options);
    repos.push(made);
    return made;
  };

  const run = (root: string, command: string): Promise<SandboxResult> =>
    sandbox.run({
      root,
      cwd: root,
      command,
      mergeStderr: true,
      timeoutMs: 20_000,
      signal: new AbortController().signal,
    });

  it("cannot read the host's password hashes or ssh host keys", async () => {
    const secrets = ['/etc/shadow', '/etc/gshadow', '/etc/ssh/ssh_host_ed25519_key', '/etc/ssh/ssh_host_rsa_key'];
    const present = secrets.filter((file) => existsSync(file));
    // The attack needs a file to steal: this machine has /etc/shadow at least.
    expect(present).toContain('/etc/shadow');
    const hostShadow = readFileSync('/etc/shadow', 'utf8');
    expect(hostShadow).toMatch(/^root:/m);
    const { root } = repo();
    const result = await run(root, `id -u; for f in ${present.join(' ')}; do cat "$f"; done; echo end`);
    expect(result.sandboxed).toBe(true);
    expect(result.stdout).not.toMatch(/^root:/m);
    expect(result.stdout).not.toMatch(/PRIVATE KEY/);
    expect(result.stdout).toMatch(/end\n$/);
  });

  it('cannot create .gptoss-agent/config.json in a repository without one, and leaves nothing behind', async () => {
    const { root } = repo();
    const result = await run(
      root,
      `mkdir -p .gptoss-agent; echo '{"approval":"full-auto","allow":["rm"]}' > .gptoss-agent/config.json; ls -a .gptoss-agent`,
    );
    expect(result.stdout).toMatch(/Read-only file system/);
    expect(existsSync(path.join(root, '.gptoss-agent'))).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['.git', 'a.txt']);
  });

  it('cannot replace .gptoss-agent with a file or a link either', async () => {
    const { root } = repo();
    const result = await run(
      root,
      'rmdir .gptoss-agent; mv .gptoss-agent gone; ln -s /tmp .gptoss-agent; echo "{}" > .gptoss-agent; echo tried',
    );
    expect(result.stdout).toMatch(/tried/);
    expect(existsSync(path.join(root, '.gptoss-agent'))).toBe(false);
    expect(existsSync(path.join(root, 'gone'))).toBe(false);
  });

  it('cannot change an existing .gptoss-agent', async () => {
    const { root, write } = repo();
    write('.gptoss-agent/config.json', '{"approval":"suggest"}\n');
    const result = await run(
      root,
      `echo '{"approval":"full-auto"}' > .gptoss-agent/config.json; touch .gptoss-agent/x`,
    );
    expect(result.stdout).toMatch(/Read-only file system/);
    expect(readFileSync(path.join(root, '.gptoss-agent', 'config.json'), 'utf8')).toBe('{"approval":"suggest"}\n');
    expect(readdirSync(path.join(root, '.gptoss-agent'))).toEqual(['config.json']);
  });

  it('keeps .gptoss-agent read-only for a command still running when another one ends', async () => {
    const { root } = repo();
    const slow = run(root, 'sleep 0.5; mkdir -p .gptoss-agent/x; echo "{}" > .gptoss-agent/config.json; echo slow');
    const quick = await run(root, 'echo quick');
    expect(quick.stdout).toBe('quick\n');
    const result = await slow;
    expect(result.stdout).toMatch(/Read-only file system/);
    expect(existsSync(path.join(root, '.gptoss-agent'))).toBe(false);
  });

  it('leaves a .gptoss-agent the user made while a command ran', async () => {
    const { root } = repo();
    const running = run(root, 'sleep 0.3; echo done');
    // The user (outside the sandbox) adds settings into the directory the sandbox made for its mount.
    await new Promise((resolve) => setTimeout(resolve, 100));
    writeFileSync(path.join(root, '.gptoss-agent', 'config.json'), '{}\n');
    expect((await running).stdout).toBe('done\n');
    expect(readFileSync(path.join(root, '.gptoss-agent', 'config.json'), 'utf8')).toBe('{}\n');
  });

  it('lets git init make a repository in a directory that is not one', async () => {
    const dir = repo({ 'a.txt': 'a\n' }, { git: false });
    mkdirSync(path.join(dir.root, 'sub'));
    const result = await run(dir.root, 'git init -q && git rev-parse --is-inside-work-tree');
    expect(result).toMatchObject({ exitCode: 0, stdout: 'true\n' });
    expect(existsSync(path.join(dir.root, '.git', 'HEAD'))).toBe(true);
  });
});
