// A gated command waits on file descriptor 4 until the agent has done what
// must come first (moving bubblewrap into a cgroup): nothing of it runs
// before, and nothing at all when that step fails.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand, type CommandRun } from '../../../tools/processes/run-command.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A program that reads fd 4 first, as bubblewrap's --block-fd 4 does, then leaves a file. */
function gatedRun(gate: (pid: number) => void): { run: CommandRun; marker: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-gate-'));
  dirs.push(dir);
  const marker = path.join(dir, 'ran');
  return {
    marker,
    run: {
      argv: ['/bin/sh', '-c', 'read -r word <&4; echo "$word" > "$1"; echo ran', 'sh', marker],
      cwd: dir,
      env: { PATH: '/usr/bin:/bin' },
      timeoutMs: 30_000,
      signal: new AbortController().signal,
      gate,
    },
  };
}

/** Blocks this thread, as a slow cgroup write would: the program must still be waiting afterwards. */
const blockFor = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe('a gated command', () => {
  it('runs only once the gate returned', async () => {
    const seen: boolean[] = [];
    const { run, marker } = gatedRun((pid) => {
      expect(pid).toBeGreaterThan(0);
      blockFor(300);
      seen.push(existsSync(marker));
    });
    const outcome = await runCommand(run);
    expect(seen).toEqual([false]);
    expect(outcome).toMatchObject({ exitCode: 0, stdout: 'ran\n' });
    expect(existsSync(marker)).toBe(true);
  });

  it('never runs when the gate throws, and the run says why', async () => {
    const { run, marker } = gatedRun(() => {
      blockFor(100);
      throw new Error('could not join the cgroup');
    });
    await expect(runCommand(run)).rejects.toThrow('could not join the cgroup');
    expect(existsSync(marker)).toBe(false);
  });
});
