// How much memory and how many processes a sandboxed command may use, and
// how a command that ran into a limit is told apart.
//
// Two mechanisms, both applied where they work:
// - per-process resource limits set inside the sandbox (sandbox-rlimits
//   script): RLIMIT_DATA (not RLIMIT_AS, which V8 and Go trip over since they
//   reserve far more address space than they use) and RLIMIT_NPROC, which
//   the kernel counts per user namespace, so it counts only the command's
//   own processes; the kernel never applies it to the host's root, though;
// - a cgroup (cgroup.ts) where this process may make one (as root),
//   which bounds the command's memory and tasks as a whole.
import os from 'node:os';

export interface SandboxLimits {
  /** Memory in MiB: each process's data (rlimit), and the whole command's (cgroup). */
  memoryMB: number;
  /** Processes and threads the command may run at once. */
  processes: number;
}

export const DEFAULT_PROCESSES = 4096;

/** Half the machine's memory (at least 1 GiB) and a few thousand tasks: enough for parallel test runners. */
export function defaultLimits(totalMemoryBytes: number = os.totalmem()): SandboxLimits {
  return { memoryMB: Math.max(1024, Math.floor(totalMemoryBytes / 2 / 2 ** 20)), processes: DEFAULT_PROCESSES };
}

/**
 * Shell lines that set the limits for the command run after them. bash calls
 * the process limit -u, dash and busybox -p; a shell that knows neither runs
 * the command without it. Inside the sandbox: RLIMIT_NPROC counts per user
 * namespace only when set in it.
 */
export function rlimitScript(limits: SandboxLimits): string {
  const n = limits.processes;
  return `${dataLimitScript(limits)}{ ulimit -u ${n} || ulimit -p ${n}; } 2>/dev/null; `;
}

/** The data limit alone: where a cgroup counts the processes, it may be set outside, before bubblewrap. */
export function dataLimitScript(limits: SandboxLimits): string {
  return `ulimit -d ${limits.memoryMB * 1024} 2>/dev/null; `;
}

/** What a cgroup saw, when the command ran in one. */
export interface LimitEvents {
  memoryKilled: boolean;
  processesRefused: boolean;
}

/** Output that says a program could not get memory (what RLIMIT_DATA looks like from inside). */
const OUT_OF_MEMORY =
  /MemoryError|out of memory|Cannot allocate memory|std::bad_alloc|heap out of memory|memory allocation of \d+ bytes failed|allocation failed|ENOMEM/i;
/** Output that says fork failed (what RLIMIT_NPROC looks like from inside). */
const NO_MORE_PROCESSES = /Resource temporarily unavailable|EAGAIN|fork: retry|Cannot fork|pthread_create failed/i;

/** A sentence for the model when the command ran into a limit, else undefined. */
export function limitNote(
  limits: SandboxLimits,
  outcome: { exitCode: number | null; signal: string | null; output: string; timedOut: boolean; aborted: boolean },
  events?: LimitEvents,
): string | undefined {
  if (outcome.aborted) return undefined;
  const memory =
    `the command hit the sandbox's memory limit of ${limits.memoryMB} MB ` +
    '("sandboxMemoryMB" in the user config); use less memory (fewer parallel jobs, smaller inputs) or ask the user to raise it.';
  const processes =
    `the command hit the sandbox's limit of ${limits.processes} processes and threads ` +
    '("sandboxProcesses" in the user config); run fewer in parallel (e.g. -j, --maxWorkers) or ask the user to raise it.';
  if (events?.memoryKilled) return `The ${memory.slice(4)}`;
  if (events?.processesRefused) return `The ${processes.slice(4)}`;
  if (outcome.exitCode === 0 || outcome.timedOut) return undefined;
  if (OUT_OF_MEMORY.test(outcome.output)) return `It looks like ${memory}`;
  if (NO_MORE_PROCESSES.test(outcome.output)) return `It looks like ${processes}`;
  return undefined;
}
