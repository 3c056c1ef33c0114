// A sandboxed command cannot take the machine's memory or fill its process
// table, and when it runs into a limit the model reads why. Small limits keep
// the attempts cheap on a shared machine: allocations grow step by step and
// stop at 4 GiB, process starts stop at a count, and nothing outlives the
// command.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox, type SandboxResult } from '../../tools/sandbox/sandbox.js';
import { findCgroupPlace } from '../../tools/sandbox/cgroup.js';
import { probeSandbox } from '../../tools/sandbox/probe.js';
import { shellTool } from '../../tools/shell.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { eventually, processesStartingWith } from '../fixtures/processes.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const onLinux = process.platform === 'linux';
const limits = { memoryMB: 256, processes: 64 };

const cgroupHere = onLinux && findCgroupPlace() !== undefined;
const asRoot = process.getuid?.() === 0;

// With a cgroup (root here), and with the per-process limits alone, as an ordinary user on a desktop gets them.
describe.runIf(onLinux).each([
  ['with a cgroup', true],
  ['with resource limits alone', false],
])('the sandbox limits %s', (_mechanism, cgroups) => {
  let repo: TempRepo;
  let sandbox: Sandbox;

  beforeAll(async () => {
    const probe = await probeSandbox();
    if (!probe.available) throw new Error(`these tests need bubblewrap: ${probe.reason} ${probe.fix}`);
    repo = makeTempRepo({ 'a.txt': 'a\n' });
    sandbox = new Sandbox({ enabled: true, env: process.env, limits, cgroups });
  });

  afterAll(() => repo?.remove());

  const run = (command: string): Promise<SandboxResult> =>
    sandbox.run({
      root: repo.root,
      cwd: repo.root,
      command,
      mergeStderr: true,
      timeoutMs: 60_000,
      signal: new AbortController().signal,
    });

  it('stops python allocating 4 GiB in 64 MiB steps, and says it hit the memory limit', async () => {
    const result = await run(
      `python3 -c "
held = []
for step in range(64):
    held.append(bytearray(64 << 20))
print('allocated', len(held) * 64, 'MiB')
"`,
    );
    expect(result.stdout).not.toMatch(/allocated 4096 MiB/);
    expect(result.exitCode).not.toBe(0);
    expect(result.limitNote).toMatch(/the command hit the sandbox's memory limit of 256 MB/);
  });

  it('stops node allocating 4 GiB of buffers the same way', async () => {
    const result = await run(
      `node -e "const held = []; for (let i = 0; i < 64; i++) held.push(Buffer.alloc(64 << 20, 1)); console.log('allocated', held.length * 64)"`,
    );
    expect(result.stdout).not.toMatch(/allocated 4096/);
    expect(result.limitNote).toMatch(/memory limit of 256 MB/);
  });

  // Only a cgroup bounds the sum over processes; as an ordinary user without one, each process is bounded alone.
  it.runIf(cgroups && cgroupHere)(
    'stops four processes that each stay under the limit but together pass it',
    async () => {
      const result = await run(
        `for i in 1 2 3 4; do python3 -c "import time; x = bytearray(200 << 20); time.sleep(2)" & done; wait; echo waited`,
      );
      expect(result.stdout).toMatch(/Killed|waited/);
      expect(result.limitNote).toMatch(/^The command hit the sandbox's memory limit of 256 MB/);
    },
  );

  // bubblewrap is moved into the cgroup while it waits, before the command starts: its processes are all inside.
  it.runIf(cgroups && cgroupHere)(
    'puts every process of the command into its cgroup, as the host sees it',
    async () => {
      const marker = `4343.${process.pid}`;
      const abort = new AbortController();
      const running = sandbox.run({
        root: repo.root,
        cwd: repo.root,
        command: `sleep ${marker}1 & sleep ${marker}2`,
        timeoutMs: 60_000,
        signal: abort.signal,
      });
      try {
        expect(await eventually(() => processesStartingWith(`sleep ${marker}`).length === 2, 10_000)).toBe(true);
        for (const pid of processesStartingWith(`sleep ${marker}`)) {
          const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
          const own = (controller: string) => lines.find((line) => line.split(':')[1]!.split(',').includes(controller));
          // v2: the one hierarchy; v1: the memory and pids controllers.
          const wanted = lines.some((line) => line.startsWith('0::/') && line !== '0::/')
            ? ['0::']
            : ['memory', 'pids'];
          for (const controller of wanted) {
            const line = controller === '0::' ? lines.find((entry) => entry.startsWith('0::')) : own(controller);
            expect(line).toMatch(new RegExp(`/command-${process.pid}-\\d+$`));
          }
        }
      } finally {
        abort.abort();
        await running;
      }
    },
  );

  it('lets a command use less than the limit', async () => {
    const result = await run(`python3 -c "x = bytearray(64 << 20); print('fine')"`);
    expect(result).toMatchObject({ exitCode: 0, stdout: 'fine\n' });
    expect(result.limitNote).toBeUndefined();
  });

  // The kernel never applies RLIMIT_NPROC to the host's root: as root only a cgroup counts processes.
  it.runIf(cgroups ? cgroupHere : !asRoot)(
    'refuses processes past the limit, reports it, and leaves none behind',
    async () => {
      const marker = `4242.${process.pid}`;
      // Each child execs a sleep with a unique duration, so the test can find any that escaped.
      const result = await run(
        `python3 -c "
import os
started = 0
try:
    for _ in range(200):
        if os.fork() == 0:
            os.execvp('sleep', ['sleep', '${marker}'])
        started += 1
except OSError as error:
    print('refused after', started, error.strerror)
    raise SystemExit(1)
print('started', started)
"`,
      );
      expect(result.stdout).toMatch(/refused after \d+ Resource temporarily unavailable/);
      expect(Number(/refused after (\d+)/.exec(result.stdout)?.[1])).toBeLessThan(limits.processes);
      expect(result.limitNote).toMatch(/limit of 64 processes and threads/);
      expect(await eventually(() => processesStartingWith(`sleep ${marker}`).length === 0, 5000)).toBe(true);
    },
  );

  it.runIf(asRoot && !cgroups)('warns, as root, that it cannot limit processes', async () => {
    expect((await sandbox.state()).warning).toMatch(/running as root where it cannot make a cgroup/);
  });

  it('tells the model through the shell tool', async () => {
    const result = await shellTool.execute(
      { command: `python3 -c "held = [bytearray(64 << 20) for _ in range(64)]"` },
      {
        workspace: await Workspace.open(repo.root),
        signal: new AbortController().signal,
        sandbox,
        ask: async () => ({ approved: true }),
      },
    );
    expect(result.output).toMatch(/^Exit code 1 \(.*\)\n.*the command hit the sandbox's memory limit of 256 MB/);
    expect(result.output).toMatch(/"sandboxMemoryMB" in the user config/);
  });
});
