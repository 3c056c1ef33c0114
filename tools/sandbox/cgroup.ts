// A cgroup for one sandboxed command, where this process may make one:
// the memory and the number of tasks of the command as a whole, and whether
// it ran into them. Root can (on cgroup v2 under a directory of ours at the
// top, on v1 under our own cgroup of each controller); an ordinary user on a
// desktop usually cannot without asking systemd, and gets the per-process
// limits alone (limits.ts). bubblewrap starts waiting on --block-fd; the agent
// moves it and the process it forked into the cgroup, then lets it go on, so
// nothing of the command runs outside. Where /proc cannot list a process's
// children, a small shell wrapper writes its own pid and then runs bubblewrap.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LimitEvents, SandboxLimits } from './limits.js';
import { processIsAlive } from '../processes/process-alive.js';

export interface CommandCgroup {
  /** Directories whose cgroup.procs the command's processes are written to. */
  dirs: string[];
  /** Whether moveIntoCgroup works here; else joinCgroupArgv. */
  canMove: boolean;
  /** Read after the command ended. */
  events(): LimitEvents;
  /** Kills what is left and removes the directories. */
  remove(): Promise<void>;
}

interface Place {
  version: 1 | 2;
  /** Whether /proc lists each task's children (moveIntoCgroup needs it); else joinCgroupArgv. */
  canMove: boolean;
  /** The directory new cgroups are made in, per controller (v2: one for both). */
  memory: string;
  pids: string;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Where this process can make cgroups with both controllers, or undefined. Probed once per Sandbox. */
export function findCgroupPlace(root: string = CGROUP_ROOT): Place | undefined {
  try {
    const place = existsSync(path.join(root, 'cgroup.controllers')) ? placeV2(root) : placeV1(root);
    if (place) removeStale(place);
    return place;
  } catch {
    return undefined;
  }
}

/** The empty cgroups an agent killed mid-command left behind (named after its pid). */
function removeStale(place: Place): void {
  for (const dir of new Set([place.memory, place.pids])) {
    for (const name of readdirSync(dir)) {
      const owner = /^command-(\d+)-\d+$/.exec(name)?.[1];
      if (!owner || processIsAlive(Number(owner))) continue;
      try {
        rmdirSync(path.join(dir, name));
      } catch {
        // Something still runs in it: leave it.
      }
    }
  }
}

function placeV2(root: string): Place | undefined {
  const controllers = readFileSync(path.join(root, 'cgroup.subtree_control'), 'utf8').split(/\s+/);
  if (!controllers.includes('memory') || !controllers.includes('pids')) return undefined;
  // Ours holds no process itself, so it may hand both controllers to the commands' cgroups below it.
  const dir = path.join(root, 'gptoss-agent');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'cgroup.subtree_control'), '+memory +pids');
  return { version: 2, canMove: procListsChildren(), memory: dir, pids: dir };
}

function placeV1(root: string): Place | undefined {
  const own = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, where] = line.split(':');
    if (controllers && where) for (const name of controllers.split(',')) own.set(name, where);
  }
  const memory = own.has('memory') ? path.join(root, 'memory', own.get('memory')!) : undefined;
  const pids = own.has('pids') ? path.join(root, 'pids', own.get('pids')!) : undefined;
  if (!memory || !pids || !existsSync(path.join(memory, 'memory.limit_in_bytes'))) return undefined;
  if (!existsSync(path.join(pids, 'cgroup.procs'))) return undefined;
  return { version: 1, canMove: procListsChildren(), memory, pids };
}

/** Makes the command's cgroup(s) with the limits; undefined when that fails (then the rlimits alone apply). */
export function makeCommandCgroup(place: Place, name: string, limits: SandboxLimits): CommandCgroup | undefined {
  const bytes = String(limits.memoryMB * 2 ** 20);
  const made: string[] = [];
  try {
    if (place.version === 2) {
      const dir = path.join(place.memory, name);
      mkdirSync(dir);
      made.push(dir);
      writeFileSync(path.join(dir, 'memory.max'), bytes);
      // Swapping the command out would only make it slow instead of stopping it.
      if (existsSync(path.join(dir, 'memory.swap.max'))) writeFileSync(path.join(dir, 'memory.swap.max'), '0');
      writeFileSync(path.join(dir, 'pids.max'), String(limits.processes));
    } else {
      const memory = path.join(place.memory, name);
      mkdirSync(memory);
      made.push(memory);
      writeFileSync(path.join(memory, 'memory.limit_in_bytes'), bytes);
      const pids = path.join(place.pids, name);
      mkdirSync(pids);
      made.push(pids);
      writeFileSync(path.join(pids, 'pids.max'), String(limits.processes));
    }
  } catch {
    void removeDirs(made);
    return undefined;
  }
  return {
    canMove: place.canMove,
    dirs: made,
    events: () => readEvents(place, made),
    remove: () => removeDirs(made),
  };
}

function readEvents(place: Place, dirs: string[]): LimitEvents {
  const counter = (file: string, key: string): number => {
    try {
      const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(readFileSync(file, 'utf8'));
      return match ? Number(match[1]) : 0;
    } catch {
      return 0;
    }
  };
  const [memoryDir, pidsDir] = place.version === 2 ? [dirs[0]!, dirs[0]!] : [dirs[0]!, dirs[1]!];
  const memoryFile = place.version === 2 ? 'memory.events' : 'memory.oom_control';
  return {
    memoryKilled: counter(path.join(memoryDir, memoryFile), 'oom_kill') > 0,
    processesRefused: counter(path.join(pidsDir, 'pids.events'), 'max') > 0,
  };
}

/** SIGKILLs what is still inside (the command is over), then removes the directories, retrying while they empty. */
async function removeDirs(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        for (const pid of readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            // Gone already.
          }
        }
        rmdirSync(dir);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}

/** Linux lists them where it was built with CONFIG_PROC_CHILDREN (most distributions). */
const procListsChildren = (): boolean => existsSync(`/proc/self/task/${process.pid}/children`);

/**
 * Moves the process `pid` and every process below it into the cgroup, each parent before its children, so that
 * one forked meanwhile is born inside. Called while bubblewrap waits on --block-fd, before anything of the command
 * runs. A process that is gone by then is skipped; any other failure throws (the caller then kills the command).
 */
export function moveIntoCgroup(cgroup: CommandCgroup, pid: number): void {
  const pending = [pid];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (!moveOne(cgroup, next)) continue;
    for (const child of childrenOf(next)) pending.push(child);
  }
}

/** False when the process is gone. */
function moveOne(cgroup: CommandCgroup, pid: number): boolean {
  for (const dir of cgroup.dirs) {
    try {
      writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw new Error(
        `The sandbox could not put the command into its cgroup (${(error as Error).message}), so it was not run. ` +
          `Try it again; if this keeps happening, something outside the agent is changing ${path.dirname(dir)}.`,
      );
    }
  }
  return true;
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children; // exited meanwhile
  }
  for (const task of tasks) {
    let listed = '';
    try {
      listed = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      // That thread ended meanwhile.
    }
    for (const word of listed.split(' ')) if (/^\d+$/.test(word)) children.push(Number(word));
  }
  return children;
}

/** The host-side wrapper that puts bubblewrap in the cgroup before it starts anything, after `prefix` (shell lines). */
export function joinCgroupArgv(cgroup: CommandCgroup, argv: readonly string[], prefix = ''): string[] {
  const joins = cgroup.dirs.map((dir) => `echo $$ > '${path.join(dir, 'cgroup.procs')}' 2>/dev/null; `).join('');
  return ['/bin/sh', '-c', `${prefix}${joins}exec "$@"`, 'sh', ...argv];
}
