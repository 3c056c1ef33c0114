// Git on the host never runs a program that a repository (or a sandboxed
// command writing into the work tree) names in git's config. Each scenario
// plants one mechanism whose script leaves a marker in a directory outside
// the repository, proves with plain git that the plant is live, then drives
// every place the agent runs git outside the sandbox and checks that no
// marker appeared while the output is still right.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadChanges } from '../../src/review/changes.js';
import { notAsReviewed, nothingToReview } from '../../src/review/target.js';
import { readGitStatus } from '../../src/modes/git-status.js';
import { walkFiles } from '../../tools/files/file-sources.js';
import { gitTool, type GitArgs } from '../../tools/git.js';
import { createGrepTool } from '../../tools/grep.js';
import type { ToolContext } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { readOnlyContext } from '../tools/read-only-tool-context.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A directory outside every repository where planted scripts leave their markers. */
function markerDir(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gptoss-marker-')));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A script that records that it ran, then copies stdin to stdout (so it also works as a filter). */
function plantScript(file: string, markers: string, name: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho "$0 $*" >> '${markers}/${name}'\ncat\n`);
  chmodSync(file, 0o755);
  return file;
}

function repo(files: Record<string, string> = {}): TempRepo {
  const made = makeTempRepo(files);
  made.git('config', 'user.name', 'Test');
  made.git('config', 'user.email', 't@example.com');
  cleanups.push(() => made.remove());
  return made;
}

function plainGit(cwd: string, ...args: string[]): void {
  try {
    execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  } catch {
    // Whether git succeeded does not matter: only whether the planted program ran.
  }
}

function markers(dir: string): string[] {
  return readdirSync(dir).sort();
}

function clear(dir: string): void {
  for (const name of readdirSync(dir)) rmSync(path.join(dir, name));
}

const HOOKS = [
  'pre-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'post-index-change',
  'reference-transaction',
  'pre-auto-gc',
];

interface Scenario {
  name: string;
  /** Plants the mechanism in a repository whose HEAD has a.txt "one\n" and whose work tree has "one\ntwo\n". */
  plant(r: TempRepo, markers: string): void;
  /** Plain git commands that run the planted program (proof that the plant is live); none when git needs a terminal. */
  control: string[][];
  /** a.txt goes through a filter the repository defines: the commit is refused, not made without it. */
  filtered?: string;
}

const scenarios: Scenario[] = [
  {
    name: 'core.fsmonitor',
    plant: (r, m) => r.git('config', 'core.fsmonitor', plantScript(path.join(r.root, '.evil', 'fsm'), m, 'fsmonitor')),
    control: [['status']],
  },
  {
    name: 'hooks in .git/hooks',
    plant: (r, m) => HOOKS.forEach((hook) => plantScript(path.join(r.root, '.git', 'hooks', hook), m, hook)),
    control: [['update-ref', 'refs/heads/control', 'HEAD']],
  },
  {
    name: 'core.hooksPath to a work-tree directory',
    plant: (r, m) => {
      HOOKS.forEach((hook) => plantScript(path.join(r.root, '.githooks', hook), m, hook));
      r.git('config', 'core.hooksPath', '.githooks');
    },
    control: [['update-ref', 'refs/heads/control', 'HEAD']],
  },
  {
    name: 'clean, smudge and process filters, required',
    plant: (r, m) => {
      r.write('.git/info/attributes', '*.txt filter=evil\n');
      r.git('config', 'filter.evil.clean', plantScript(path.join(r.root, '.evil', 'clean'), m, 'clean'));
      r.git('config', 'filter.evil.smudge', plantScript(path.join(r.root, '.evil', 'smudge'), m, 'smudge'));
      r.git('config', 'filter.evil.required', 'true');
    },
    control: [['diff']],
    filtered: 'evil',
  },
  {
    name: 'diff textconv and a diff driver command',
    plant: (r, m) => {
      r.write('.git/info/attributes', '*.txt diff=evil\n');
      r.git('config', 'diff.evil.textconv', plantScript(path.join(r.root, '.evil', 'textconv'), m, 'textconv'));
      r.git('config', 'diff.evil.command', plantScript(path.join(r.root, '.evil', 'command'), m, 'diff-command'));
    },
    control: [['diff'], ['blame', 'a.txt'], ['log', '-p', '-1']],
  },
  {
    name: 'diff.external',
    plant: (r, m) => r.git('config', 'diff.external', plantScript(path.join(r.root, '.evil', 'ext'), m, 'external')),
    control: [['diff']],
  },
  {
    name: 'pagers',
    plant: (r, m) => {
      const pager = plantScript(path.join(r.root, '.evil', 'pager'), m, 'pager');
      r.git('config', 'core.pager', pager);
      for (const command of ['status', 'diff', 'log', 'show', 'blame', 'grep'])
        r.git('config', `pager.${command}`, pager);
    },
    // git pages only into a terminal.
    control: [],
  },
  {
    name: 'gpg.program with commit.gpgSign and log.showSignature',
    plant: (r, m) => {
      r.git('config', 'gpg.program', plantScript(path.join(r.root, '.evil', 'gpg'), m, 'gpg'));
      r.git('config', 'commit.gpgSign', 'true');
      r.git('config', 'log.showSignature', 'true');
    },
    control: [['commit', '--allow-empty', '-m', 'control']],
  },
  {
    name: 'include.path to a work-tree file',
    plant: (r, m) => {
      const script = plantScript(path.join(r.root, '.evil', 'fsm'), m, 'included-fsmonitor');
      r.write(
        'included.cfg',
        `[core]\n\tfsmonitor = ${script}\n[filter "inc"]\n\tclean = ${plantScript(path.join(r.root, '.evil', 'inc-clean'), m, 'included-clean')}\n\trequired = true\n`,
      );
      r.write('.git/info/attributes', '*.txt filter=inc\n');
      r.git('config', 'include.path', '../included.cfg');
    },
    control: [['status']],
    filtered: 'inc',
  },
  {
    name: 'includeIf to a work-tree file',
    plant: (r, m) => {
      const script = plantScript(path.join(r.root, '.evil', 'fsm'), m, 'includeif-fsmonitor');
      r.write('cond.cfg', `[core]\n\tfsmonitor = ${script}\n`);
      r.git('config', 'includeIf.gitdir:/.path', '../cond.cfg');
    },
    control: [['status']],
  },
  {
    name: 'aliases named like the commands the agent runs',
    plant: (r, m) => {
      const script = plantScript(path.join(r.root, '.evil', 'alias'), m, 'alias');
      for (const command of [
        'status',
        'diff',
        'log',
        'show',
        'blame',
        'grep',
        'ls-files',
        'add',
        'rev-parse',
        'config',
      ]) {
        r.git('config', `alias.${command}`, `!${script}`);
      }
      for (const command of ['write-tree', 'commit-tree', 'update-ref'])
        r.git('config', `alias.${command}`, `!${script}`);
      r.git('config', 'alias.evil', `!${script}`);
    },
    // Proof the alias mechanism itself works; git ignores aliases that shadow built-ins.
    control: [['evil']],
  },
  {
    name: 'a submodule whose .git points at a repository with fsmonitor',
    plant: (r, m) => {
      const sub = path.join(r.root, 'sub');
      mkdirSync(sub);
      execFileSync('git', ['init', '-q'], { cwd: sub });
      writeFileSync(path.join(sub, 'x'), 'x\n');
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x', '--allow-empty'], {
        cwd: sub,
      });
      r.git('add', 'sub');
      r.git('commit', '-qm', 'Add sub');
      // A sandboxed command swaps the gitfile for one that names a repository with its own config.
      const evil = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gptoss-evil-')));
      cleanups.push(() => rmSync(evil, { recursive: true, force: true }));
      execFileSync('git', ['init', '-q', evil]);
      execFileSync(
        'git',
        ['config', 'core.fsmonitor', plantScript(path.join(evil, 'fsm.sh'), m, 'submodule-fsmonitor')],
        {
          cwd: evil,
        },
      );
      rmSync(path.join(sub, '.git'), { recursive: true, force: true });
      writeFileSync(path.join(sub, '.git'), `gitdir: ${path.join(evil, '.git')}\n`);
    },
    control: [['status']],
  },
];

async function context(root: string): Promise<ToolContext> {
  return {
    workspace: await Workspace.open(root),
    signal: new AbortController().signal,
    ask: async () => ({ approved: true, unasked: true }),
  };
}

/** Every host path once; returns what each printed, for the correctness checks. */
async function exerciseHostPaths(root: string): Promise<Record<string, string>> {
  const ctx = await context(root);
  const signal = new AbortController().signal;
  const run = async (args: GitArgs) => (await gitTool.execute(args, ctx)).output;
  const out: Record<string, string> = {};
  out.status = await run({ action: 'status' });
  out.diff = await run({ action: 'diff' });
  out.diffRef = await run({ action: 'diff', ref: 'HEAD' });
  out.log = await run({ action: 'log' });
  out.show = await run({ action: 'show', ref: 'HEAD' });
  out.showFile = await run({ action: 'show', ref: 'HEAD', path: 'a.txt' });
  out.blame = await run({ action: 'blame', path: 'a.txt' });
  out.nothing = String(await nothingToReview(root, { kind: 'unstaged' }, signal));
  out.review = (await loadChanges(root, { kind: 'unstaged' }, signal)).files.map((file) => file.path).join(',');
  out.notAsReviewed = [...(await notAsReviewed(root, { kind: 'staged' }, signal))].join(',');
  out.statusLine = JSON.stringify(await readGitStatus(root));
  const listed: string[] = [];
  await walkFiles({
    workspace: ctx.workspace,
    dir: '.',
    rg: undefined,
    signal,
    onFile: (file) => void listed.push(file),
  });
  out.files = listed.join(',');
  const grep = createGrepTool({ findRipgrep: async () => undefined });
  out.grep = (await grep.execute({ pattern: 'two' }, await readOnlyContext(root))).output;
  out.staged = await run({ action: 'diff', staged: true });
  out.commit = await run({ action: 'commit', message: 'Add two', paths: ['a.txt'] }).catch(
    (error: Error) => error.message,
  );
  return out;
}

describe('host git: a planted program never runs', () => {
  it.each(scenarios)('$name', async (scenario) => {
    const r = repo({ 'a.txt': 'one\n' });
    const m = markerDir();
    scenario.plant(r, m);
    r.write('a.txt', 'one\ntwo\n');
    // The plant is live: plain git runs it.
    for (const args of scenario.control) plainGit(r.root, ...args);
    if (scenario.control.length > 0) expect(markers(m)).not.toEqual([]);
    clear(m);
    plainGit(r.root, 'update-ref', '-d', 'refs/heads/control');
    clear(m);

    const out = await exerciseHostPaths(r.root);

    expect(markers(m)).toEqual([]);
    expect(out.status).toMatch(/^ M a\.txt$/m);
    expect(out.diff).toContain('+two');
    expect(out.diffRef).toContain('+two');
    expect(out.showFile).toBe('1\tone');
    expect(out.blame).toMatch(/Not Committed Yet .* two$/m);
    expect(out.review).toBe('a.txt');
    expect(out.statusLine).toBe(JSON.stringify({ branch: 'main', dirty: true }));
    expect(out.files?.split(',')).toContain('a.txt');
    expect(out.grep).toContain('a.txt');
    if (scenario.filtered) {
      expect(out.commit).toMatch(
        new RegExp(`^Not committed: a\\.txt \\(filter "${scenario.filtered}"\\) goes through a git filter`),
      );
      expect(r.git('show', 'HEAD:a.txt')).toBe('one\n');
      return;
    }
    expect(out.commit).toMatch(/^Committed [0-9a-f]+ "Add two": 1 file, \+1 -0\./);
    expect(r.git('show', 'HEAD:a.txt')).toBe('one\ntwo\n');
    expect(r.git('log', '-1', '--format=%G?').trim()).toBe('N');
  });

  it('a directory that becomes a repository later, with fsmonitor, runs nothing when the UI reads its status', async () => {
    const dir = makeTempRepo({ 'a.txt': 'one\n' }, { git: false });
    cleanups.push(() => dir.remove());
    const m = markerDir();
    expect(await readGitStatus(dir.root)).toBeUndefined();
    // A sandboxed command: git init; git config core.fsmonitor …
    dir.git('init', '-q', '-b', 'main');
    dir.git('config', 'core.fsmonitor', plantScript(path.join(dir.root, '.h.sh'), m, 'late-fsmonitor'));
    plainGit(dir.root, 'status');
    expect(markers(m)).toEqual(['late-fsmonitor']);
    clear(m);
    expect(await readGitStatus(dir.root)).toEqual({ branch: 'main', dirty: true });
    const listed: string[] = [];
    const ctx = await context(dir.root);
    await walkFiles({
      workspace: ctx.workspace,
      dir: '.',
      rg: undefined,
      signal: new AbortController().signal,
      onFile: (file) => void listed.push(file),
    });
    expect(listed).toContain('a.txt');
    expect((await gitTool.execute({ action: 'status' }, ctx)).output).toContain('?? a.txt');
    expect(markers(m)).toEqual([]);
  });

  it('core.worktree cannot point the agent at another directory', async () => {
    const r = repo({ 'a.txt': 'one\n' });
    const elsewhere = markerDir();
    writeFileSync(path.join(elsewhere, 'secret.txt'), 'secret\n');
    r.git('config', 'core.worktree', elsewhere);
    const ctx = await context(r.root);
    expect((await gitTool.execute({ action: 'status' }, ctx)).output).not.toContain('secret');
    const listed: string[] = [];
    await walkFiles({
      workspace: ctx.workspace,
      dir: '.',
      rg: undefined,
      signal: new AbortController().signal,
      onFile: (file) => void listed.push(file),
    });
    expect(listed).toEqual(['a.txt']);
  });
});
