import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolError } from '../../../tools/tool.js';
import { Workspace, WorkspaceError } from '../../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function repo(files: Record<string, string> = { 'src/a.ts': 'a\n' }, options: { git?: boolean } = {}): TempRepo {
  const made = makeTempRepo(files, options);
  cleanups.push(() => made.remove());
  return made;
}
function outsideDir(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gptoss-outside-')));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The refusal's message, or fails when the path is accepted. */
async function refusal(resolving: Promise<unknown>): Promise<string> {
  const error = await resolving.then(
    (value) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WorkspaceError);
  expect(error).toBeInstanceOf(ToolError);
  return (error as Error).message;
}

describe('Workspace.open', () => {
  it('uses the git top level as the root and remembers where the user started', async () => {
    const r = repo({ 'src/deep/a.ts': 'a\n' });
    const workspace = await Workspace.open(path.join(r.root, 'src', 'deep'));
    expect(workspace.root).toBe(r.root);
    expect(workspace.cwd).toBe(path.join(r.root, 'src', 'deep'));
    expect(workspace.isGitRepo).toBe(true);
  });

  it('uses the directory itself outside any git repository', async () => {
    const r = repo({ 'sub/a.txt': 'a\n' }, { git: false });
    const workspace = await Workspace.open(path.join(r.root, 'sub'));
    expect(workspace.root).toBe(path.join(r.root, 'sub'));
    expect(workspace.isGitRepo).toBe(false);
    expect(await workspace.resolveForWrite('a.txt')).toEqual({
      absolute: path.join(r.root, 'sub', 'a.txt'),
      relative: 'a.txt',
    });
    expect(await refusal(workspace.resolveForRead('../sub2/x'))).toContain('"../sub2/x" is outside the repository');
  });
});

describe('Workspace path guard', () => {
  it('resolves relative paths from the root, with forward slashes', async () => {
    const r = repo();
    const workspace = await Workspace.open(r.root);
    expect(await workspace.resolveForRead('src/a.ts')).toEqual({
      absolute: path.join(r.root, 'src/a.ts'),
      relative: 'src/a.ts',
    });
    expect((await workspace.resolveForWrite('./src/../src/new.ts')).relative).toBe('src/new.ts');
    expect((await workspace.resolveForRead('.')).relative).toBe('.');
    // "~" is a file name here, not the home directory.
    expect((await workspace.resolveForWrite('~/x')).relative).toBe('~/x');
  });

  it('accepts names inside the root that start with two dots', async () => {
    const r = repo({ '..notes': 'n\n', 'src/..old/a.ts': 'a\n' });
    const workspace = await Workspace.open(r.root);
    expect(await workspace.resolveForRead('..notes')).toEqual({
      absolute: path.join(r.root, '..notes'),
      relative: '..notes',
    });
    expect((await workspace.resolveForWrite('src/..old/a.ts')).relative).toBe('src/..old/a.ts');
    expect((await workspace.resolveForWrite('..new.txt')).relative).toBe('..new.txt');
  });

  it('accepts an absolute path inside the root', async () => {
    const r = repo();
    const workspace = await Workspace.open(r.root);
    expect(await workspace.resolveForWrite(path.join(r.root, 'src', 'a.ts'))).toEqual({
      absolute: path.join(r.root, 'src', 'a.ts'),
      relative: 'src/a.ts',
    });
  });

  it('refuses paths that climb out of the root, for reading and writing', async () => {
    const r = repo();
    const workspace = await Workspace.open(r.root);
    for (const requested of ['../x', 'a/../../x', 'src/../../../etc/passwd']) {
      const expected =
        `${JSON.stringify(requested)} is outside the repository (${r.root}). ` +
        'Only paths inside it can be read or changed; give a path relative to the repository root.';
      expect(await refusal(workspace.resolveForRead(requested))).toBe(expected);
      expect(await refusal(workspace.resolveForWrite(requested))).toBe(expected);
    }
  });

  it('refuses an absolute path outside the root', async () => {
    const r = repo();
    const outside = outsideDir();
    const workspace = await Workspace.open(r.root);
    expect(await refusal(workspace.resolveForRead(path.join(outside, 'x')))).toContain(
      `${JSON.stringify(path.join(outside, 'x'))} is outside the repository`,
    );
    expect(await refusal(workspace.resolveForRead('/etc/passwd'))).toContain('"/etc/passwd" is outside the repository');
    // A sibling whose name starts like the root is still outside.
    expect(await refusal(workspace.resolveForWrite(`${r.root}-evil/x`))).toContain('is outside the repository');
  });

  it('refuses a symbolic link inside the root that leads outside, for reading and writing', async () => {
    const outside = outsideDir();
    writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
    const r = repo();
    symlinkSync(outside, path.join(r.root, 'escape'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(r.root, 'secret-link.txt'));
    const workspace = await Workspace.open(r.root);
    const through = (requested: string, real: string) =>
      `${JSON.stringify(requested)} leads through a symbolic link to ${real}, outside the repository. It cannot be read or changed.`;
    expect(await refusal(workspace.resolveForRead('escape/secret.txt'))).toBe(
      through('escape/secret.txt', path.join(outside, 'secret.txt')),
    );
    expect(await refusal(workspace.resolveForWrite('escape/new/file.txt'))).toBe(
      through('escape/new/file.txt', path.join(outside, 'new', 'file.txt')),
    );
    expect(await refusal(workspace.resolveForRead('secret-link.txt'))).toBe(
      through('secret-link.txt', path.join(outside, 'secret.txt')),
    );
    expect(await refusal(workspace.resolveForWrite('secret-link.txt'))).toBe(
      through('secret-link.txt', path.join(outside, 'secret.txt')),
    );
  });

  it('refuses a dangling symbolic link that points outside', async () => {
    const outside = outsideDir();
    const r = repo();
    symlinkSync(path.join(outside, 'not-yet', 'file.txt'), path.join(r.root, 'dangling'));
    symlinkSync('../../../../../../../../../../tmp/gptoss-nowhere', path.join(r.root, 'relative-dangling'));
    const workspace = await Workspace.open(r.root);
    expect(await refusal(workspace.resolveForWrite('dangling'))).toBe(
      `"dangling" leads through a symbolic link to ${path.join(outside, 'not-yet', 'file.txt')}, outside the repository. ` +
        'It cannot be read or changed.',
    );
    expect(await refusal(workspace.resolveForRead('dangling'))).toContain('leads through a symbolic link');
    expect(await refusal(workspace.resolveForWrite('relative-dangling'))).toContain(
      'leads through a symbolic link to /tmp/gptoss-nowhere, outside the repository',
    );
  });

  it('follows symbolic links that stay inside, reporting the real path', async () => {
    const r = repo({ 'src/real.ts': 'r\n' });
    symlinkSync('real.ts', path.join(r.root, 'src', 'alias.ts'));
    symlinkSync('src', path.join(r.root, 'lib'));
    const workspace = await Workspace.open(r.root);
    expect((await workspace.resolveForWrite('src/alias.ts')).relative).toBe('src/real.ts');
    expect((await workspace.resolveForRead('lib/real.ts')).relative).toBe('src/real.ts');
    expect((await workspace.resolveForWrite('lib/new.ts')).relative).toBe('src/new.ts');
  });

  it('refuses writes under .git, at the top and nested, but allows reading there', async () => {
    const r = repo();
    mkdirSync(path.join(r.root, 'sub', '.git'), { recursive: true });
    const workspace = await Workspace.open(r.root);
    const inside = (requested: string) =>
      `${JSON.stringify(requested)} is inside a .git directory; the agent never writes there (use the git tool to see history and state).`;
    for (const requested of ['.git/config', '.git', '.git/hooks/pre-commit', 'sub/.git/x', 'src/../.git/HEAD']) {
      expect(await refusal(workspace.resolveForWrite(requested))).toBe(inside(requested));
    }
    expect((await workspace.resolveForRead('.git/config')).relative).toBe('.git/config');
    // Names that merely start with ".git" are ordinary files.
    expect((await workspace.resolveForWrite('.gitignore')).relative).toBe('.gitignore');
    expect((await workspace.resolveForWrite('.github/workflows/ci.yml')).relative).toBe('.github/workflows/ci.yml');
  });

  it("refuses writes to the agent's own project config, where approval rules live", async () => {
    const r = repo();
    const workspace = await Workspace.open(r.root);
    for (const requested of ['.gptoss-agent/config.json', '.gptoss-agent', './.gptoss-agent/other']) {
      expect(await refusal(workspace.resolveForWrite(requested))).toMatch(/the agent's own project configuration/);
    }
    expect((await workspace.resolveForRead('.gptoss-agent/config.json')).relative).toBe('.gptoss-agent/config.json');
    expect((await workspace.resolveForWrite('.gptoss-agentx/a')).relative).toBe('.gptoss-agentx/a');
  });

  it('refuses a link that leads into .git for writing', async () => {
    const r = repo();
    symlinkSync('.git/hooks', path.join(r.root, 'hooks'));
    const workspace = await Workspace.open(r.root);
    expect(await refusal(workspace.resolveForWrite('hooks/pre-commit'))).toBe(
      '"hooks/pre-commit" is inside a .git directory; the agent never writes there (use the git tool to see history and state).',
    );
  });

  it('refuses empty paths and NUL bytes', async () => {
    const r = repo();
    const workspace = await Workspace.open(r.root);
    expect(await refusal(workspace.resolveForRead('  '))).toBe(
      'The path is empty. Give a path relative to the repository root.',
    );
    expect(await refusal(workspace.resolveForWrite('a\0b'))).toBe('The path "a\\u0000b" contains a NUL byte.');
  });
});
