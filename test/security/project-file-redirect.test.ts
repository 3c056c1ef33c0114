// Project files the agent reads on the host by name: what detects the test
// command (AGENTS.md, package.json, the Python test folders), the AGENTS.md
// that /init rewrites, the names a "did you mean" lists, and the .gitmodules a listing reads. A sandboxed
// command may have replaced any of them with a link out of the repository or
// a FIFO; the agent must read nothing from outside and never wait on one.
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initAgentsMd } from '../../src/agent/init-agents-md.js';
import { closeNames } from '../../tools/files/close-names.js';
import { createListFilesTool } from '../../tools/list-files.js';
import { detectTestCommand } from '../../tools/test-runners/detect.js';
import { ToolError } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { readOnlyContext } from '../tools/read-only-tool-context.js';

/** A hang is the failure these tests look for; this only keeps one from stalling the suite. */
const SAFETY_NET_MS = 30_000;

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function tempDir(files: Record<string, string>, git = true): TempRepo {
  const repo = makeTempRepo(files, { git });
  repos.push(repo);
  return repo;
}

/** A repository with `name` a link to the same name in a directory outside holding `files`. */
function linkedOut(name: string, files: Record<string, string>): string {
  const outside = tempDir(files, false).root;
  const repo = tempDir({ 'README.md': 'x\n' });
  symlinkSync(path.join(outside, name), path.join(repo.root, name));
  return repo.root;
}

function withFifo(name: string, files: Record<string, string> = { 'README.md': 'x\n' }): string {
  const repo = tempDir(files);
  execFileSync('mkfifo', [path.join(repo.root, name)]);
  return repo.root;
}

describe('test command detection', () => {
  it('reads no package.json through a link out of the repository', async () => {
    const root = linkedOut('package.json', { 'package.json': '{"scripts":{"test":"vitest run"}}' });
    expect(await detectTestCommand(root)).toBeUndefined();
  });

  it('takes no test command from an AGENTS.md linked out of the repository', async () => {
    const root = linkedOut('AGENTS.md', { 'AGENTS.md': '- Test: `outside-secret-command`\n' });
    expect(await detectTestCommand(root)).toBeUndefined();
  });

  it('looks for Python tests in no folder linked out of the repository', async () => {
    const root = linkedOut('tests', { 'tests/test_secret.py': 'def test_x(): pass\n' });
    expect(await detectTestCommand(root)).toBeUndefined();
  });

  it('does not wait on a package.json that is a FIFO', { timeout: SAFETY_NET_MS }, async () => {
    expect(await detectTestCommand(withFifo('package.json', { 'Cargo.toml': '[package]\n' }))).toEqual({
      command: 'cargo test',
      source: 'Cargo.toml',
    });
  });

  it('still reads the real files', async () => {
    const repo = tempDir({ 'package.json': '{"scripts":{"test":"vitest run"}}', 'pnpm-lock.yaml': '' });
    expect(await detectTestCommand(repo.root)).toEqual({ command: 'pnpm test', source: 'package.json' });
  });
});

describe('/init', () => {
  it('refuses an AGENTS.md that is a FIFO instead of waiting on it', { timeout: SAFETY_NET_MS }, async () => {
    const workspace = await Workspace.open(withFifo('AGENTS.md'));
    const explored: string[] = [];
    const init = initAgentsMd({
      // The model is never asked: the file is refused first.
      agent: {
        runTurn: async (prompt) => {
          explored.push(prompt);
          return { stopReason: 'answer', answer: '# Notes', messages: [] } as never;
        },
      },
      workspace,
      ask: async () => ({ approved: true }),
    });
    await expect(init).rejects.toThrow(ToolError);
    await expect(init).rejects.toThrow('AGENTS.md is not a regular file');
    expect(explored).toEqual([]);
  });
});

describe('"did you mean" names', () => {
  it('lists no names from a directory swapped for a link out of the repository', async () => {
    const outside = tempDir({ 'secret-plan.md': 'x\n' }, false).root;
    const repo = tempDir({ 'docs/secret-plan.md': 'inside\n' });
    // The real directory is found…
    expect(await closeNames(repo.root, 'docs', 'secret-plan.mdx')).toEqual(['secret-plan.md']);
    // …and once it is a link to another directory, nothing is listed.
    execFileSync('rm', ['-r', path.join(repo.root, 'docs')]);
    symlinkSync(outside, path.join(repo.root, 'docs'));
    expect(await closeNames(repo.root, 'docs', 'secret-plan.mdx')).toEqual([]);
  });
});

describe('listings', () => {
  it('do not wait on a .gitmodules that is a FIFO', { timeout: SAFETY_NET_MS }, async () => {
    const root = withFifo('.gitmodules', { 'a.txt': 'x\n' });
    const result = await createListFilesTool().execute({}, await readOnlyContext(root));
    expect(result.output).toContain('a.txt');
  });

  it('read a .gitmodules of blank lines and spaces without hanging, and still leave its paths out', async () => {
    // Within the 1 MB read: a pattern over the whole text backtracked for minutes on each run. A hang is the failure.
    const gitmodules = `${'\n'.repeat(500_000)}\tpath = b.txt\n\tpath = x${' '.repeat(400_000)}y\n`;
    const repo = tempDir({ 'a.txt': 'x\n', 'b.txt': 'x\n', '.gitmodules': gitmodules });
    const result = await createListFilesTool().execute({}, await readOnlyContext(repo.root));
    expect(result.output).toBe('.gitmodules\na.txt');
  });
});
