// A directory on the way to a file swapped for a symbolic link after the
// workspace guard checked the path must not send the write, or its temporary
// file, outside the repository: the write goes through directories held open
// without following links, and refuses when a component is no longer one.
import { spawn } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { applyFileChanges } from '../../tools/changes/file-changes.js';
import { ToolError } from '../../tools/tool.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { swapForLink } from '../fixtures/link-swap.js';
import { patchHarness } from '../tools/apply-patch-harness.js';

const swapper = fileURLToPath(new URL('../fixtures/swap-dir-loop.mjs', import.meta.url));
const cleanups: (() => void)[] = [];
// Last in, first out: the swapping process is stopped before the directories go.
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((cleanup) => cleanup()),
);

async function setUp(files: Record<string, string>) {
  const harness = await patchHarness(files);
  const outside = makeTempRepo({}, { git: false });
  cleanups.push(
    () => harness.repo.remove(),
    () => outside.remove(),
  );
  /** Every name under the outside directory: it must stay empty. */
  const outsideNames = () => readdirSync(outside.root, { recursive: true, encoding: 'utf8' });
  return { ...harness, outside: outside.root, outsideNames };
}

/** Steps that change the tree once every path has passed the guard: the moment an attacker needs. */
const afterTheGuard = (change: () => void) => ({ rename, unlink, checked: async () => change() });

const REDIRECTED = /is no longer a directory inside the repository .*Nothing was written there/;

describe('a directory swapped for a symbolic link after the guard checked the path', () => {
  it('is refused for an update, and nothing is written outside', async () => {
    const h = await setUp({ 'd/f.txt': 'one\n' });
    const dir = path.join(h.repo.root, 'd');
    const failure = await applyFileChanges(
      h.ctx.workspace,
      [{ type: 'update', path: 'd/f.txt', content: 'two\n', base: 'one\n' }],
      afterTheGuard(() => swapForLink(dir, h.outside)),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ToolError);
    expect((failure as Error).message).toMatch(REDIRECTED);
    expect(h.outsideNames()).toEqual([]);
    expect(h.read('d.real/f.txt')).toBe('one\n');
  });

  it('is refused for a file added in a directory that appears as a link, and no directory is made outside', async () => {
    const h = await setUp({ 'keep.txt': 'k\n' });
    const failure = await applyFileChanges(
      h.ctx.workspace,
      [{ type: 'add', path: 'new/deeper/f.txt', content: 'x\n' }],
      afterTheGuard(() => symlinkSync(h.outside, path.join(h.repo.root, 'new'))),
    ).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(REDIRECTED);
    expect(h.outsideNames()).toEqual([]);
  });

  it('writes over a file swapped for a link as a new file, never through the link', async () => {
    const h = await setUp({ 'd/f.txt': 'one\n' });
    writeFileSync(path.join(h.outside, 'target.txt'), 'outside\n');
    const file = path.join(h.repo.root, 'd', 'f.txt');
    const failure = await applyFileChanges(
      h.ctx.workspace,
      [{ type: 'update', path: 'd/f.txt', content: 'two\n', base: 'one\n' }],
      afterTheGuard(() => {
        unlinkSync(file);
        symlinkSync(path.join(h.outside, 'target.txt'), file);
      }),
    ).catch((error: unknown) => error);
    expect((failure as Error).message).toBe('d/f.txt is not a regular file; the agent only edits regular files.');
    expect(readFileSync(path.join(h.outside, 'target.txt'), 'utf8')).toBe('outside\n');
    expect(h.outsideNames()).toEqual(['target.txt']);
  });

  it('is refused for a delete, and the file the link leads to stays', async () => {
    const h = await setUp({ 'd/f.txt': 'one\n' });
    writeFileSync(path.join(h.outside, 'f.txt'), 'outside\n');
    const failure = await applyFileChanges(
      h.ctx.workspace,
      [{ type: 'delete', path: 'd/f.txt', base: 'one\n' }],
      afterTheGuard(() => swapForLink(path.join(h.repo.root, 'd'), h.outside)),
    ).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(REDIRECTED);
    expect(h.outsideNames()).toEqual(['f.txt']);
  });
});

describe('a process swapping a directory and a symbolic link while apply_patch writes into it', () => {
  it('never gets a file or a temporary file written outside, in 200 patches', async () => {
    const h = await setUp({ 'd/f.txt': 'count 0\n' });
    const dir = path.join(h.repo.root, 'd');
    const child = spawn(process.execPath, [swapper, dir, h.outside], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    await new Promise((resolve) => child.stdout.once('data', resolve));

    let applied = 0;
    const refusals = new Set<string>();
    for (let attempt = 0; attempt < 200; attempt++) {
      // The file holds the count of patches applied so far; each one moves it on by one.
      const patch = `*** Begin Patch\n*** Update File: d/f.txt\n@@\n-count ${applied}\n+count ${applied + 1}\n*** End Patch`;
      try {
        await h.apply(patch);
        applied++;
      } catch (error) {
        // Every refusal is one the model can read: the guard's, the missing file's, or the redirected write's.
        expect(error).toBeInstanceOf(ToolError);
        refusals.add((error as Error).message.split('\n')[0]!.replace(/\d+/g, 'N'));
      }
      expect(h.outsideNames()).toEqual([]);
    }
    child.kill('SIGKILL');
    await new Promise((resolve) =>
      child.exitCode !== null || child.signalCode ? resolve(null) : child.once('exit', resolve),
    );
    // Put the directory back, wherever the swap stopped.
    if (lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(dir);
    if (lstatSync(`${dir}.real`, { throwIfNoEntry: false })) renameSync(`${dir}.real`, dir);

    expect(h.outsideNames()).toEqual([]);
    // Every patch that said so was applied inside, one after another; no temporary file was left anywhere.
    expect(h.read('d/f.txt')).toBe(`count ${applied}\n`);
    expect(readdirSync(dir)).toEqual(['f.txt']);
    for (const refusal of refusals) {
      expect(refusal).toMatch(/symbolic link|no longer a directory|no such file|changed while|not a regular file/);
    }
  });
});
