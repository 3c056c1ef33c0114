// The Sandbox service: every command a tool runs for the model goes through
// it. Inside bubblewrap where that works (see mounts.ts for what the
// command can see, seccomp.ts for the sockets it cannot open,
// limits.ts for its memory and processes); directly, with the same scrubbed environment, timeout and
// process-group kill, when the user chose --no-sandbox or bubblewrap cannot
// run here (then the approval policy asks before every command).
import { accessSync, constants as fsConstants, existsSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findExecutable, hostPathDirs } from '../processes/find-executable.js';
import { GATE_FD, runCommand, type CommandOutcome } from '../processes/run-command.js';
import { findCgroupPlace, joinCgroupArgv, makeCommandCgroup, moveIntoCgroup, type CommandCgroup } from './cgroup.js';
import { scrubbedEnv } from './env.js';
import { dataLimitScript, defaultLimits, limitNote, rlimitScript, type SandboxLimits } from './limits.js';
import { MountPoints } from './mount-points.js';
import { bwrapArgs, PROTECTED_NAMES } from './mounts.js';
import { probeSandbox, type SandboxProbe } from './probe.js';
import { seccompFilter } from './seccomp.js';

export const DEFAULT_SHELL_TIMEOUT_MS = 2 * 60_000;
export const DEFAULT_TEST_TIMEOUT_MS = 10 * 60_000;

export interface SandboxOptions {
  /** False when the user passed --no-sandbox. */
  enabled: boolean;
  /** The user's environment; commands get a scrubbed copy. */
  env: NodeJS.ProcessEnv;
  shellTimeoutMs?: number;
  testTimeoutMs?: number;
  /** Absolute directories shown read-only inside the sandbox although it hides them (e.g. under /tmp). */
  readOnlyPaths?: readonly string[];
  /** Memory and processes a command may use (user config sandboxMemoryMB, sandboxProcesses); defaults: defaultLimits(). */
  limits?: Partial<SandboxLimits>;
  /** False: never a cgroup, the per-process limits alone (what an ordinary user usually gets). Default true. */
  cgroups?: boolean;
  /** The repository commands run in: programs on PATH entries inside it are never started on the host. */
  root?: string;
  /** Injected for tests; default probeSandbox(). */
  probe?: () => Promise<SandboxProbe>;
}

export interface SandboxState {
  /** Whether commands run inside bubblewrap. */
  sandboxed: boolean;
  /** When not: why ("disabled with --no-sandbox", "bubblewrap is not installed", …). */
  reason?: string;
  /** When not, and the user did not choose it: how to get the sandbox. */
  fix?: string;
  /** When sandboxed: a protection this machine lacks (no seccomp filter for its architecture). */
  warning?: string;
}

export interface SandboxCommand {
  /** The repository root: the only place the command may write. */
  root: string;
  /** Where the command starts, inside root. */
  cwd: string;
  /** A shell command line (run with bash, or sh where there is no bash)… */
  command?: string;
  /** …or a program and its arguments. */
  argv?: readonly string[];
  timeoutMs: number;
  signal: AbortSignal;
  /** Standard error into standard output, in order (what a user sees in a terminal). */
  mergeStderr?: boolean;
  /** Scratch directories outside root that the command may also write (e.g. for a test report). */
  writable?: readonly string[];
  maxOutputChars?: number;
  onStdoutLine?: (line: string) => void;
  /** Variables set on top of the scrubbed environment (e.g. git's config overrides). */
  env?: Record<string, string>;
}

export interface SandboxResult extends CommandOutcome {
  sandboxed: boolean;
  /** When the command ran into the sandbox's memory or process limit: a sentence saying so, for the model. */
  limitNote?: string;
}

export class Sandbox {
  readonly shellTimeoutMs: number;
  readonly testTimeoutMs: number;
  readonly limits: SandboxLimits;
  private statePromise: Promise<SandboxState & { bwrap?: string }> | undefined;
  private readonly mountPoints = new MountPoints();
  private readonly filter = seccompFilter();
  private cgroupPlace: ReturnType<typeof findCgroupPlace> | null = null;
  private commandCount = 0;

  constructor(private readonly options: SandboxOptions) {
    this.shellTimeoutMs = options.shellTimeoutMs ?? DEFAULT_SHELL_TIMEOUT_MS;
    this.testTimeoutMs = options.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
    this.limits = { ...defaultLimits(), ...options.limits };
  }

  /** Probed once, on first use. */
  state(): Promise<SandboxState> {
    this.statePromise ??= this.resolveState();
    return this.statePromise.then(({ bwrap: _bwrap, ...state }) => state);
  }

  async run(request: SandboxCommand): Promise<SandboxResult> {
    this.statePromise ??= this.resolveState();
    const { sandboxed, bwrap } = await this.statePromise;
    const env = { ...scrubbedEnv(this.options.env), ...request.env };
    if (!(sandboxed && bwrap)) {
      const host = onHost(this.programArgv(request, env, ''), env, request.root);
      return { ...(await this.execute(request, host.argv, host.env)), sandboxed };
    }
    const layout = {
      root: request.root,
      home: realHome(this.options.env),
      pathDirs: (env.PATH ?? '').split(path.delimiter).filter(Boolean),
      writable: request.writable ?? [],
      readOnly: this.options.readOnlyPaths ?? [],
      seccomp: this.filter !== undefined,
      exists: existsSync,
      canOpen,
    };
    const release = this.mountPoints.acquire(request.root, PROTECTED_NAMES, existsSync);
    const cgroup = this.commandCgroup();
    try {
      // Every process costs milliseconds. With a cgroup (it counts processes) the command's own shell sets the data
      // limit, and bubblewrap waits on --block-fd until the agent has moved it into the cgroup; where that cannot be
      // done, one shell outside sets the data limit and joins first. Without a cgroup the command's own shell sets
      // both limits.
      const gated = cgroup?.canMove === true;
      const limitLines = !cgroup ? rlimitScript(this.limits) : gated ? dataLimitScript(this.limits) : '';
      let argv = this.programArgv(request, env, limitLines);
      argv = [
        bwrap,
        ...(gated ? ['--block-fd', String(GATE_FD)] : []),
        ...bwrapArgs(layout, request.cwd),
        '--',
        ...argv,
      ];
      if (cgroup && !gated) argv = joinCgroupArgv(cgroup, argv, dataLimitScript(this.limits));
      const outcome = await this.execute(
        request,
        argv,
        env,
        gated ? (pid: number) => moveIntoCgroup(cgroup, pid) : undefined,
      );
      const note = limitNote(
        this.limits,
        { ...outcome, output: `${outcome.stdout}\n${outcome.stderr}` },
        cgroup?.events(),
      );
      return { ...outcome, sandboxed, ...(note ? { limitNote: note } : {}) };
    } finally {
      release();
      // Its first rmdir runs now; should the kernel still be emptying it, the retries do not hold up the result.
      void cgroup?.remove();
    }
  }

  private execute(
    request: SandboxCommand,
    argv: readonly string[],
    env: NodeJS.ProcessEnv,
    gate?: (pid: number) => void,
  ): Promise<CommandOutcome> {
    return runCommand({
      argv,
      cwd: request.cwd,
      env,
      timeoutMs: request.timeoutMs,
      signal: request.signal,
      ...(request.maxOutputChars !== undefined ? { maxOutputChars: request.maxOutputChars } : {}),
      ...(request.onStdoutLine ? { onStdoutLine: request.onStdoutLine } : {}),
      ...(this.filter && argv.includes('--seccomp') ? { fd3: this.filter } : {}),
      ...(gate ? { gate } : {}),
    });
  }

  /** The kernel never applies RLIMIT_NPROC to the host's root: there only a cgroup limits processes. */
  private rootWithoutCgroup(): string | undefined {
    if (process.getuid?.() !== 0) return undefined;
    if (this.cgroupPlace === null) this.cgroupPlace = this.options.cgroups === false ? undefined : findCgroupPlace();
    if (this.cgroupPlace) return undefined;
    return (
      "running as root where it cannot make a cgroup, the sandbox limits each process's memory but not the " +
      'number of processes (give the agent a writable cgroup, or run it as an ordinary user)'
    );
  }

  /** A cgroup for the next command where this process can make one (as root); looked for once. */
  private commandCgroup(): CommandCgroup | undefined {
    if (this.cgroupPlace === null) this.cgroupPlace = this.options.cgroups === false ? undefined : findCgroupPlace();
    if (!this.cgroupPlace) return undefined;
    return makeCommandCgroup(this.cgroupPlace, `command-${process.pid}-${++this.commandCount}`, this.limits);
  }

  /**
   * The command with `prefix` (shell lines) run first, and standard error merged when asked: inside the
   * command's own shell where it has one, else through /bin/sh.
   */
  private programArgv(request: SandboxCommand, env: NodeJS.ProcessEnv, prefix: string): readonly string[] {
    const merge = request.mergeStderr ? 'exec 2>&1; ' : '';
    if (request.command !== undefined) {
      return [findExecutable('bash', env) ? 'bash' : '/bin/sh', '-c', `${prefix}${merge}${request.command}`];
    }
    if (!request.argv) throw new Error('Sandbox.run needs a command or an argv');
    if (!prefix && !merge) return request.argv;
    return ['/bin/sh', '-c', `${prefix}${merge}exec "$@"`, 'sh', ...request.argv];
  }

  private async resolveState(): Promise<SandboxState & { bwrap?: string }> {
    if (!this.options.enabled) return { sandboxed: false, reason: 'the sandbox was turned off with --no-sandbox' };
    const probe = await (
      this.options.probe ??
      (() => probeSandbox({ env: this.options.env, ...(this.options.root ? { outside: this.options.root } : {}) }))
    )();
    if (probe.available && probe.bwrap) {
      const warnings = [probe.warning, this.rootWithoutCgroup()].filter(Boolean);
      return { sandboxed: true, bwrap: probe.bwrap, ...(warnings.length ? { warning: warnings.join('; ') } : {}) };
    }
    return {
      sandboxed: false,
      ...(probe.reason ? { reason: probe.reason } : {}),
      ...(probe.fix ? { fix: probe.fix } : {}),
    };
  }
}

/** Readable (a file) or enterable (a directory) by this process, hence by the command it starts. */
function canOpen(absolute: string): boolean {
  const allowed = (mode: number): boolean => {
    try {
      accessSync(absolute, mode);
      return true;
    } catch {
      return false;
    }
  };
  return allowed(fsConstants.R_OK) || allowed(fsConstants.X_OK);
}

function realHome(env: NodeJS.ProcessEnv): string {
  const home = env.HOME || os.homedir();
  try {
    return realpathSync(home);
  } catch {
    return home;
  }
}

/**
 * A command started on the host (the sandbox off) with its program by absolute path. spawn would
 * search PATH itself, relative entries included, and find a program of that name in the repository
 * (the command's working directory, or a PATH entry inside it) before the user's. A program found
 * nowhere else is left to
 * fail as not found.
 */
function onHost(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  root: string,
): { argv: readonly string[]; env: NodeJS.ProcessEnv } {
  const [program, ...rest] = argv;
  if (program === undefined || program.includes('/')) return { argv, env };
  const found = findExecutable(program, env, root);
  if (found) return { argv: [found, ...rest], env };
  return { argv, env: { ...env, PATH: hostPathDirs(env.PATH ?? '', root).join(path.delimiter) } };
}
