// How a command that ran into the sandbox's limits is told apart from one
// that failed on its own: a cgroup's counters say so for sure; without one,
// what the program printed when the kernel refused it memory or a process.
import { describe, expect, it } from 'vitest';
import { dataLimitScript, defaultLimits, limitNote, rlimitScript } from '../../../tools/sandbox/limits.js';

const limits = { memoryMB: 512, processes: 100 };
const ended = (output: string, exitCode: number | null = 1, signal: string | null = null) => ({
  exitCode,
  signal,
  output,
  timedOut: false,
  aborted: false,
});

describe('the sandbox limits', () => {
  it('default to half the memory, at least 1 GiB, and a few thousand tasks', () => {
    expect(defaultLimits(16 * 2 ** 30)).toEqual({ memoryMB: 8192, processes: 4096 });
    expect(defaultLimits(1 * 2 ** 30)).toEqual({ memoryMB: 1024, processes: 4096 });
  });

  it('set data size and processes in the shell way of bash and of dash', () => {
    expect(rlimitScript(limits)).toBe(
      'ulimit -d 524288 2>/dev/null; { ulimit -u 100 || ulimit -p 100; } 2>/dev/null; ',
    );
    expect(dataLimitScript(limits)).toBe('ulimit -d 524288 2>/dev/null; ');
  });

  it('are named for sure when the cgroup counted a kill or a refused fork', () => {
    expect(limitNote(limits, ended('', null, 'SIGKILL'), { memoryKilled: true, processesRefused: false })).toMatch(
      /^The command hit the sandbox's memory limit of 512 MB \("sandboxMemoryMB" in the user config\)/,
    );
    expect(limitNote(limits, ended(''), { memoryKilled: false, processesRefused: true })).toMatch(
      /^The command hit the sandbox's limit of 100 processes and threads \("sandboxProcesses"/,
    );
  });

  it.each([
    ['MemoryError', /memory limit/],
    ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', /memory limit/],
    ['fatal error: runtime: out of memory', /memory limit/],
    ['RangeError: Array buffer allocation failed', /memory limit/],
    ['memory allocation of 1048576 bytes failed', /memory limit/],
    ['bash: fork: retry: Resource temporarily unavailable', /100 processes/],
  ])('are guessed from "%s" when no cgroup counted', (output, note) => {
    const said = limitNote(limits, ended(output));
    expect(said).toMatch(/^It looks like the command hit/);
    expect(said).toMatch(note);
  });

  it('are not mentioned for a command that succeeded, failed otherwise, or was interrupted', () => {
    expect(limitNote(limits, ended('MemoryError handled', 0))).toBeUndefined();
    expect(limitNote(limits, ended('AssertionError: expected 1 to be 2'))).toBeUndefined();
    expect(
      limitNote(
        limits,
        { ...ended('', null, 'SIGKILL'), aborted: true },
        { memoryKilled: true, processesRefused: false },
      ),
    ).toBeUndefined();
  });
});
