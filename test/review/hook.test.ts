// Installing the pre-commit hook in real repositories: a fresh install, an
// update of our own hook, and asking (or refusing without a terminal) before
// anyone else's hook is replaced, keeping it.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUP_SUFFIX, HOOK_MARKER, hookScript, installHook } from '../../src/review/hook.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function repo(): TempRepo {
  const made = makeTempRepo({ 'a.txt': 'a\n' });
  repos.push(made);
  return made;
}

const command = ['/usr/bin/node', '/opt/gptoss-agent/dist/src/cli.js'];

describe('installHook', () => {
  it('installs an executable hook that runs the review with the flags given', async () => {
    const r = repo();
    const outcome = await installHook({
      root: r.root,
      command,
      args: ['--fail-on', 'medium', '--endpoint', "http://h/v1?a='b'"],
    });
    const hook = path.join(r.root, '.git', 'hooks', 'pre-commit');
    expect(outcome).toEqual({ kind: 'installed', path: hook });
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    const text = readFileSync(hook, 'utf8');
    expect(text).toContain(HOOK_MARKER);
    expect(text).toContain(`"$@" review --staged '--fail-on' 'medium' '--endpoint' 'http://h/v1?a='\\''b'\\'''`);
    execFileSync('sh', ['-n', hook]);
  });

  it('honours core.hooksPath', async () => {
    const r = repo();
    r.git('config', 'core.hooksPath', 'githooks');
    const outcome = await installHook({ root: r.root, command, args: [] });
    expect(outcome.path).toBe(path.join(r.root, 'githooks', 'pre-commit'));
    expect(existsSync(outcome.path)).toBe(true);
  });

  it('updates its own hook without asking', async () => {
    const r = repo();
    await installHook({ root: r.root, command, args: [] });
    const outcome = await installHook({
      root: r.root,
      command,
      args: ['--fail-on', 'low'],
      confirm: () => Promise.reject(new Error('asked about our own hook')),
    });
    expect(outcome.kind).toBe('updated');
    expect(readFileSync(outcome.path, 'utf8')).toContain("'--fail-on' 'low'");
  });

  describe("with someone else's hook", () => {
    const theirs = '#!/bin/sh\nnpm run lint\n';
    function withTheirHook(): { r: TempRepo; hook: string } {
      const r = repo();
      const hook = path.join(r.root, '.git', 'hooks', 'pre-commit');
      writeFileSync(hook, theirs, { mode: 0o755 });
      return { r, hook };
    }

    it('leaves it alone when nobody can be asked', async () => {
      const { r, hook } = withTheirHook();
      expect(await installHook({ root: r.root, command, args: [] })).toEqual({ kind: 'refused', path: hook });
      expect(readFileSync(hook, 'utf8')).toBe(theirs);
    });

    it('keeps it when the user says no', async () => {
      const { r, hook } = withTheirHook();
      const questions: string[] = [];
      const outcome = await installHook({
        root: r.root,
        command,
        args: [],
        confirm: async (question) => {
          questions.push(question);
          return false;
        },
      });
      expect(outcome).toEqual({ kind: 'kept', path: hook });
      expect(questions[0]).toMatch(
        /A pre-commit hook already exists at .*pre-commit\. Replace it\? The old one will be kept as pre-commit\.before-gptoss-agent\./,
      );
      expect(readFileSync(hook, 'utf8')).toBe(theirs);
    });

    it('replaces it when the user says yes, keeping the old one beside it', async () => {
      const { r, hook } = withTheirHook();
      const outcome = await installHook({ root: r.root, command, args: [], confirm: async () => true });
      expect(outcome).toEqual({ kind: 'installed', path: hook, backup: `${hook}${BACKUP_SUFFIX}` });
      expect(readFileSync(`${hook}${BACKUP_SUFFIX}`, 'utf8')).toBe(theirs);
      expect(readFileSync(hook, 'utf8')).toContain(HOOK_MARKER);
    });
  });
});

describe('hookScript', () => {
  it('falls back to gptoss-agent on PATH when the installing binary is gone, and lets exit 3 through', () => {
    const script = hookScript(command, []);
    expect(script).toContain("if [ -f '/opt/gptoss-agent/dist/src/cli.js' ]; then");
    expect(script).toContain('  set -- gptoss-agent');
    expect(script).toMatch(/if \[ "\$status" -eq 3 \]; then\n.*committing anyway.*\n  exit 0/);
  });
});

describe('installHook with links planted in the hooks directory', () => {
  it('never writes through a link at the temporary name it used to use, and leaves no temporary file', async () => {
    const r = repo();
    const outside = makeTempRepo({ 'target.txt': 'outside\n' }, { git: false });
    repos.push(outside);
    const hooks = path.join(r.root, '.git', 'hooks');
    const target = path.join(outside.root, 'target.txt');
    // The old name was predictable from the pid; links at every guess a repository could plant.
    symlinkSync(target, path.join(hooks, `pre-commit.tmp-${process.pid}`));
    symlinkSync(target, path.join(hooks, 'pre-commit.tmp'));

    const outcome = await installHook({ root: r.root, command, args: [] });
    expect(outcome.kind).toBe('installed');
    expect(readFileSync(target, 'utf8')).toBe('outside\n');
    const hook = path.join(hooks, 'pre-commit');
    expect(lstatSync(hook).isFile()).toBe(true);
    expect(readFileSync(hook, 'utf8')).toContain(HOOK_MARKER);
    expect(statSync(hook).mode & 0o777).toBe(0o755);
    expect(
      readdirSync(hooks)
        .filter((name) => name.startsWith('pre-commit.'))
        .sort(),
    ).toEqual(['pre-commit.sample', 'pre-commit.tmp', `pre-commit.tmp-${process.pid}`]);
  });

  it('keeps a dangling link at the backup name and backs up beside it', async () => {
    const r = repo();
    const hooks = path.join(r.root, '.git', 'hooks');
    const hook = path.join(hooks, 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho theirs\n');
    symlinkSync('/nonexistent/elsewhere', `${hook}${BACKUP_SUFFIX}`);
    const outcome = await installHook({ root: r.root, command, args: [], confirm: async () => true });
    expect(outcome).toEqual({ kind: 'installed', path: hook, backup: `${hook}${BACKUP_SUFFIX}.2` });
    expect(lstatSync(`${hook}${BACKUP_SUFFIX}`).isSymbolicLink()).toBe(true);
    expect(readFileSync(`${hook}${BACKUP_SUFFIX}.2`, 'utf8')).toBe('#!/bin/sh\necho theirs\n');
  });
});
