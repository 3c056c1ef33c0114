// The built binary's `tool` command: what the model would read, from a shell.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function repo(): TempRepo {
  const made = makeTempRepo({ 'a.txt': 'one\ntwo\nthree\n', 'src/b.ts': 'export const b = 1;\n' });
  repos.push(made);
  return made;
}

const patch = JSON.stringify({
  input: '*** Begin Patch\n*** Update File: a.txt\n@@\n one\n-two\n+TWO\n*** End Patch',
});

describe('gptoss-agent tool', () => {
  it('prints exactly what the model reads', async () => {
    const { root } = repo();
    const run = await runCli(['tool', 'read_file', '{"path":"a.txt","start_line":2}'], { cwd: root });
    expect(run).toMatchObject({ code: 0, stdout: '2\ttwo\n3\tthree\n' });
  });

  it('gives the structured result with --json', async () => {
    const { root } = repo();
    const run = await runCli(['tool', 'grep', '{"pattern":"export"}', '--json'], { cwd: root });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; output: string; data: unknown };
    expect(result.ok).toBe(true);
    expect(result.output).toContain('src/b.ts');
    expect(JSON.stringify(result.data)).toContain('"line":1');
  });

  it('reports a model-style mistake as the model would see it, exit 1', async () => {
    const { root } = repo();
    const run = await runCli(['tool', 'read_file', '{"file":"a.txt"}'], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Invalid arguments for read_file: missing required field "path"/);
  });

  it('does not apply a patch without approval when it cannot ask', async () => {
    const { root } = repo();
    const run = await runCli(['tool', 'apply_patch', patch], { cwd: root });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/was not applied: this run cannot ask the user for approval/);
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
  });

  it('applies a patch with --approval full-auto', async () => {
    const { root } = repo();
    const run = await runCli(['tool', 'apply_patch', patch, '--approval', 'full-auto'], { cwd: root });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Applied: M a\.txt \(\+1 -1\)/);
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('one\nTWO\nthree\n');
  });

  it('takes arguments from stdin with "-"', async () => {
    const { root } = repo();
    const run = await runCli(['tool', 'list_files', '-'], { cwd: root, input: '{"pattern":"**/*.ts"}' });
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout.trim().split('\n')[0]).toBe('src/b.ts');
  });

  it('looks up a symbol from the built package, keeping the index in the cache directory', async () => {
    const { root } = repo();
    const cache = mkdtempSync(path.join(os.tmpdir(), 'gptoss-xdg-'));
    try {
      const env = { XDG_CACHE_HOME: cache };
      const run = await runCli(['tool', 'symbols', '{"name":"b"}'], { cwd: root, env });
      expect(run).toMatchObject({ code: 0, stdout: 'src/b.ts:1 constant b: export const b = 1;\n' });
      expect(readdirSync(path.join(cache, 'gptoss-agent', 'symbols'))).toHaveLength(1);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('exits 2 for an unknown tool and lists the real ones', async () => {
    const { root } = repo();
    const run = await runCli(['tool', 'open_file', '{}'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /unknown tool "open_file"; the tools are read_file, list_files, grep, symbols, apply_patch/,
    );
  });
});
