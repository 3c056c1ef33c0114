// Whether a path the model asked for exists, and what it is, is looked up after the
// workspace guard checked it. A command running at that moment may swap a directory
// on the way for a link out of the repository: the answer must then not depend on
// what exists outside (the tool says the same whether the target is there or not).
import { mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listFilesTool } from '../../tools/list-files.js';
import { readFileTool } from '../../tools/read-file.js';
import type { ToolContext, ToolResult } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A directory outside every repository; with `secret`, it holds secret.txt and a folder private/. */
function outsideDir(secret: boolean): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-outside-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  if (secret) {
    writeFileSync(path.join(dir, 'secret.txt'), 'outside secret\n');
    symlinkSync('.', path.join(dir, 'private'));
  }
  return dir;
}

/**
 * A read-only tool context on a fresh repository whose `notes/` is swapped for a
 * link to `outside` right after the guard resolved the path (as a command could).
 */
async function swappedAfterGuard(outside: string): Promise<ToolContext> {
  const repo = makeTempRepo({ 'notes/a.txt': 'a\n', 'README.md': 'x\n' });
  cleanups.push(() => repo.remove());
  const real = await Workspace.open(repo.root);
  const workspace: Workspace = Object.create(real);
  workspace.resolveForRead = async (requested) => {
    const resolved = await real.resolveForRead(requested);
    renameSync(path.join(repo.root, 'notes'), path.join(repo.root, 'notes-moved'));
    symlinkSync(outside, path.join(repo.root, 'notes'));
    return resolved;
  };
  return { workspace, signal: new AbortController().signal, ask: () => Promise.reject(new Error('asked')) };
}

const shown = (result: ToolResult) => ({ ok: !result.isError, output: result.output });

describe('existence checks after the guard', () => {
  it('read_file says the same whether a file exists behind a link swapped in', async () => {
    const there = await readFileTool
      .execute({ path: 'notes/secret.txt' }, await swappedAfterGuard(outsideDir(true)))
      .catch((error: Error) => ({ isError: true, output: error.message }) as ToolResult);
    const absent = await readFileTool
      .execute({ path: 'notes/secret.txt' }, await swappedAfterGuard(outsideDir(false)))
      .catch((error: Error) => ({ isError: true, output: error.message }) as ToolResult);
    expect(shown(there)).toEqual(shown(absent));
    expect(there.output).not.toContain('outside secret');
  });

  it('list_files says the same whether a directory exists behind a link swapped in', async () => {
    const list = async (secret: boolean) =>
      listFilesTool
        .execute({ path: 'notes/private' }, await swappedAfterGuard(outsideDir(secret)))
        .catch((error: Error) => ({ isError: true, output: error.message }) as ToolResult);
    const there = await list(true);
    const absent = await list(false);
    expect(shown(there)).toEqual(shown(absent));
    expect(there.output).not.toContain('secret.txt');
  });
});
