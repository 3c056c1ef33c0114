// The command line and environment every host git command gets: what is
// inherited, what each subcommand is given, and overrides for drivers with
// any name the config can hold.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { driverOverrides, prepareHostGit, sandboxedGitEnv } from '../../../tools/git/host-git.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

describe('prepareHostGit', () => {
  it("drops the caller's git variables but the identity and the index a hook reviews, and pins the repository", async () => {
    const r = makeTempRepo({ 'a.txt': 'a\n' });
    repos.push(r);
    const git = await prepareHostGit(r.root, ['status'], {
      baseEnv: {
        PATH: process.env.PATH,
        GIT_DIR: '/elsewhere',
        GIT_EXTERNAL_DIFF: '/bin/evil',
        GIT_CONFIG_PARAMETERS: "'core.fsmonitor'='/bin/evil'",
        GIT_AUTHOR_NAME: 'Ann',
        GIT_INDEX_FILE: '/tmp/next-index',
      },
    });
    expect(git.env.GIT_EXTERNAL_DIFF).toBeUndefined();
    expect(git.env.GIT_CONFIG_PARAMETERS).toBeUndefined();
    expect(git.env).toMatchObject({
      GIT_AUTHOR_NAME: 'Ann',
      GIT_INDEX_FILE: '/tmp/next-index',
      GIT_DIR: `${r.root}/.git`,
      GIT_WORK_TREE: r.root,
      GIT_OPTIONAL_LOCKS: '0',
    });
    expect(git.argv).toEqual(['--no-pager', 'status', '--ignore-submodules=all']);
  });

  it('finds git on PATH without its relative entries, so a ./git in the work tree is never the one run', async () => {
    const r = makeTempRepo({ 'a.txt': 'a\n' });
    repos.push(r);
    r.write('git', '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(r.root, 'git'), 0o755);
    const git = await prepareHostGit(r.root, ['status'], { baseEnv: { PATH: `.::${process.env.PATH}` } });
    expect(path.isAbsolute(git.program)).toBe(true);
    expect(git.program.startsWith(r.root)).toBe(false);
    expect(git.env.PATH).toBe(process.env.PATH);
  });

  it('puts the subcommand options right after the subcommand, past global options', async () => {
    const r = makeTempRepo({ 'a.txt': 'a\n' });
    repos.push(r);
    const git = await prepareHostGit(r.root, ['--literal-pathspecs', '-c', 'grep.column=false', 'grep', '-n', 'x'], {
      write: true,
    });
    expect(git.argv).toEqual([
      '--no-pager',
      '--literal-pathspecs',
      '-c',
      'grep.column=false',
      'grep',
      '--no-textconv',
      '-n',
      'x',
    ]);
    expect(git.env.GIT_OPTIONAL_LOCKS).toBeUndefined();
  });

  it('overrides a driver whose name holds dots, spaces and "=", as git reads it back', async () => {
    const r = makeTempRepo({ 'a.txt': 'a\n' });
    repos.push(r);
    r.git('config', 'filter.we.ird = name.clean', '/bin/evil');
    r.git('config', 'diff.Tx.textconv', '/bin/evil');
    const git = await prepareHostGit(r.root, ['status']);
    const value = (key: string) =>
      execFileSync('git', ['config', '--get', key], { cwd: r.root, env: git.env, encoding: 'utf8' }).trim();
    expect(value('filter.we.ird = name.clean')).toBe('');
    expect(value('filter.we.ird = name.required')).toBe('false');
    expect(value('diff.Tx.textconv')).toBe('');
    expect(value('core.fsmonitor')).toBe('false');
  });
});

describe('sandboxedGitEnv', () => {
  it('keeps a signing program named in the config from verifying a signed commit', async () => {
    const r = makeTempRepo({ 'a.txt': 'a\n' });
    repos.push(r);
    const marker = path.join(r.root, 'ran');
    r.write('gpg.sh', `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(path.join(r.root, 'gpg.sh'), 0o755);
    r.git('config', 'gpg.program', path.join(r.root, 'gpg.sh'));
    // A commit carrying a signature header: enough for git to ask the program to verify it.
    const body = r
      .git('cat-file', 'commit', 'HEAD')
      .replace(/^(committer .*)$/m, '$1\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n x\n -----END PGP SIGNATURE-----');
    const signed = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: r.root, input: body })
      .toString()
      .trim();
    const env = { ...process.env, ...(await sandboxedGitEnv(r.root)) };
    execFileSync('git', ['log', '--show-signature', '-1', signed], { cwd: r.root, env, stdio: 'ignore' });
    expect(existsSync(marker)).toBe(false);
    execFileSync('git', ['log', '--show-signature', '-1', signed], { cwd: r.root, stdio: 'ignore' });
    expect(existsSync(marker)).toBe(true);
  });
});

describe('driverOverrides', () => {
  it('covers filter, diff and merge drivers once each, and nothing else', () => {
    expect(
      driverOverrides([
        'filter.a.clean',
        'filter.a.smudge',
        'diff.b.textconv',
        'merge.c.driver',
        'core.editor',
        'diff.external',
      ]),
    ).toEqual([
      ['filter.a.clean', ''],
      ['filter.a.smudge', ''],
      ['filter.a.process', ''],
      ['filter.a.required', 'false'],
      ['diff.b.textconv', ''],
      ['diff.b.command', ''],
      ['diff.b.cachetextconv', 'false'],
      ['merge.c.driver', ''],
    ]);
  });
});
