// Every git command the agent runs outside the sandbox is built here. A
// repository's config, and anything a sandboxed command planted in the work
// tree (a `.git` of its own, a submodule's gitfile, an included config file),
// can name programs for git to run: fsmonitor, hooks, filters, diff drivers,
// pagers, signing programs. Each command gets overrides for all of them, read
// from the repository's config just before it runs (reading config runs
// nothing), and is pinned to the repository found on disk.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { findExecutable, hostPathDirs } from '../processes/find-executable.js';

/** Overrides for every command, whatever the repository defines. */
export const NEUTRAL_CONFIG: readonly (readonly [string, string])[] = [
  ['core.fsmonitor', 'false'],
  ['core.useBuiltinFSMonitor', 'false'],
  // No hook runs: not pre-commit, not post-index-change (index writes), not reference-transaction (ref updates).
  ['core.hooksPath', '/dev/null'],
  ['core.pager', 'cat'],
  // An empty external diff fails instead of running anything; host commands also pass --no-ext-diff.
  ['diff.external', ''],
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
  ['log.showSignature', 'false'],
  // Verifying a signature (`log --show-signature`, `%G?`) runs the signing program: the system's, not one the config names.
  ['gpg.program', 'gpg'],
  ['gpg.openpgp.program', 'gpg'],
  ['gpg.x509.program', 'gpgsm'],
  ['gpg.ssh.program', 'ssh-keygen'],
  ['gpg.ssh.defaultKeyCommand', ''],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['submodule.recurse', 'false'],
  ['diff.ignoreSubmodules', 'all'],
  ['status.submoduleSummary', 'false'],
  ['fetch.recurseSubmodules', 'false'],
  // No transport at all: nothing is fetched (a partial clone's lazy fetch included), so no ssh,
  // proxy or credential program is started.
  ['protocol.allow', 'never'],
  ['credential.helper', ''],
  ['core.askPass', ''],
  ['core.sshCommand', 'ssh'],
];

/** Options each subcommand is given so that it never runs a diff program or looks inside submodules. */
const SUBCOMMAND_OPTIONS: Record<string, readonly string[]> = {
  diff: ['--no-ext-diff', '--no-textconv', '--ignore-submodules=all'],
  show: ['--no-ext-diff', '--no-textconv', '--ignore-submodules=all'],
  log: ['--no-ext-diff', '--no-textconv', '--ignore-submodules=all'],
  status: ['--ignore-submodules=all'],
  blame: ['--no-textconv'],
  grep: ['--no-textconv'],
};

/**
 * Inherited variables that stay, none of which can run anything: who commits, and the index
 * a commit hook must review (git points GIT_INDEX_FILE at the index being committed). Every
 * other GIT_* is dropped.
 */
const KEPT_GIT_VARIABLES = new Set([
  'GIT_INDEX_FILE',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
]);

export interface HostGitOptions {
  /** The command writes (the index, objects, refs); others run with GIT_OPTIONAL_LOCKS=0. */
  write?: boolean;
  /** Extra config for this command, e.g. output format (core.quotepath=off). */
  config?: readonly (readonly [string, string])[];
  /** Extra variables (GIT_INDEX_FILE for a scratch index); they cannot undo the overrides. */
  env?: Record<string, string>;
  /** The environment to start from; default process.env. */
  baseEnv?: NodeJS.ProcessEnv;
}

export interface HostGitCommand {
  /** git's absolute path, found on PATH without its relative entries (no `./git` from the work tree). */
  program: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  gitDir: string;
  workTree: string;
  /** Every config key the repository's git sees (names only), as read for the overrides. */
  configNames: string[];
}

/** The directory holds no `.git` up to the file-system root: there is no repository to run git in. */
export class NotARepositoryError extends Error {
  override name = 'NotARepositoryError';
}

/**
 * The argv (without "git") and environment for one command in the repository
 * that contains `cwd`. Throws NotARepositoryError when there is none.
 */
export async function prepareHostGit(
  cwd: string,
  args: readonly string[],
  options: HostGitOptions = {},
): Promise<HostGitCommand> {
  const workTree = findWorkTree(cwd);
  if (!workTree) throw new NotARepositoryError(`${cwd} is not inside a git repository.`);
  // Neither git nor a program git starts by name is looked up inside the repository.
  const base = inheritedEnv(options.baseEnv ?? process.env, workTree);
  const program = findExecutable('git', base) ?? 'git';
  const staticEnv = { ...base, ...configEnv(NEUTRAL_CONFIG), GIT_OPTIONAL_LOCKS: '0' };
  // Pinned: the repository found now, with this work tree; core.worktree in its config cannot move it.
  const gitDir = await gitDirOf(workTree);
  const pinned = { GIT_DIR: gitDir, GIT_WORK_TREE: workTree };
  const configNames = await listConfigNames(cwd, { ...staticEnv, ...pinned });
  const pairs = [...NEUTRAL_CONFIG, ...driverOverrides(configNames), ...(options.config ?? [])];
  const env: NodeJS.ProcessEnv = {
    ...base,
    ...options.env,
    ...pinned,
    ...configEnv(pairs),
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
  };
  if (!options.write) env.GIT_OPTIONAL_LOCKS = '0';
  return { program, argv: ['--no-pager', ...withSubcommandOptions(args)], env, gitDir, workTree, configNames };
}

/**
 * Variables for git commands run inside the sandbox without the user's yes
 * (read-only commands such as `git status`): the same overrides, so that a
 * program planted in the repository's config cannot run there either.
 */
export async function sandboxedGitEnv(
  cwd: string,
  baseEnv: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  const neutral = { ...inheritedEnv(baseEnv, findWorkTree(cwd)), ...configEnv(NEUTRAL_CONFIG) };
  const names = await listConfigNames(cwd, neutral).catch(() => []);
  return {
    ...configEnv([...NEUTRAL_CONFIG, ...driverOverrides(names)]),
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
  };
}

/**
 * For each filter, diff and merge driver the config defines, values that stop
 * it running anything: an empty filter is no filter (also when `required`),
 * an empty textconv or diff command fails the diff instead of running one.
 */
export function driverOverrides(configNames: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const name of configNames) {
    const first = name.indexOf('.');
    const last = name.lastIndexOf('.');
    if (first === -1 || last === first) continue;
    const section = name.slice(0, first).toLowerCase();
    const driver = name.slice(first + 1, last);
    const key = `${section}.${driver}`;
    if (seen.has(key)) continue;
    if (section === 'filter') {
      out.push([`${key}.clean`, ''], [`${key}.smudge`, ''], [`${key}.process`, ''], [`${key}.required`, 'false']);
    } else if (section === 'diff') {
      out.push([`${key}.textconv`, ''], [`${key}.command`, ''], [`${key}.cachetextconv`, 'false']);
    } else if (section === 'merge') {
      out.push([`${key}.driver`, '']);
    } else continue;
    seen.add(key);
  }
  return out;
}

/** GIT_CONFIG_COUNT / KEY_n / VALUE_n: command-line scope, above every config file, any key name. */
export function configEnv(pairs: readonly (readonly [string, string])[]): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(pairs.length) };
  pairs.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** The caller's environment without git's variables (GIT_DIR, GIT_CONFIG_*, GIT_EXTERNAL_DIFF, …). */
export function inheritedEnv(env: NodeJS.ProcessEnv, workTree?: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name.startsWith('GIT_') && !KEPT_GIT_VARIABLES.has(name)) continue;
    out[name] = value;
  }
  // A relative PATH entry ("." or empty) would find programs in whatever directory git runs in;
  // one inside the work tree, the repository's own.
  if (out.PATH !== undefined) out.PATH = hostPathDirs(out.PATH, workTree).join(path.delimiter);
  return out;
}

/** The nearest directory at or above `cwd` that holds `.git` (a directory or a gitfile), as git finds it. */
export function findWorkTree(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `.git` itself, or where its gitfile ("gitdir: <path>", relative to the work tree) points. */
async function gitDirOf(workTree: string): Promise<string> {
  const dotGit = path.join(workTree, '.git');
  if ((await stat(dotGit)).isDirectory()) return dotGit;
  const match = /^gitdir: (.+?)\r?\n?$/.exec(await readFile(dotGit, 'utf8'));
  if (!match) throw new NotARepositoryError(`${dotGit} is neither a directory nor a gitfile ("gitdir: <path>").`);
  return path.resolve(workTree, match[1]!);
}

/** The options go right after the subcommand, before anything a caller passes (revisions, `--`). */
function withSubcommandOptions(args: readonly string[]): string[] {
  const at = subcommandIndex(args);
  if (at === -1) return [...args];
  const extra = SUBCOMMAND_OPTIONS[args[at]!] ?? [];
  return [...args.slice(0, at + 1), ...extra, ...args.slice(at + 1)];
}

function subcommandIndex(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-c' || arg === '-C') i++;
    else if (!arg.startsWith('-')) return i;
  }
  return -1;
}

async function listConfigNames(cwd: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const text = await readGit(cwd, ['config', '--list', '--name-only', '-z'], env);
  return text.split('\0').filter(Boolean);
}

/** A small git command that only reads (rev-parse, config): its whole output, or an error with what git said. */
function readGit(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      findExecutable('git', env) ?? 'git',
      args,
      { cwd, env, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const said = String(stderr).trim();
        reject(Object.assign(new Error(said || error.message), { code: (error as NodeJS.ErrnoException).code }));
      },
    );
  });
}
