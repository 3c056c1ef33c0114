// A directory on the way to a file, or the file itself, swapped for a symbolic
// link after the workspace guard checked the path must not make read_file show
// the model, or apply_patch put in its diff, a file outside the repository:
// reads go through directories held open and never follow a link.
import { spawn } from 'node:child_process';
import { lstatSync, readdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createApplyPatchTool } from '../../tools/apply-patch.js';
import { createReadFileTool, readFileTool } from '../../tools/read-file.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { swapForLink, toolOutcome } from '../fixtures/link-swap.js';
import { patchHarness } from '../tools/apply-patch-harness.js';

const swapper = fileURLToPath(new URL('../fixtures/swap-dir-loop.mjs', import.meta.url));
const SECRET = 'SECRET outside the repository';
const cleanups: (() => void)[] = [];
// Last in, first out: the swapping process is stopped before the directories go.
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((cleanup) => cleanup()),
);

/** A repository with d/f.txt, and outside it a directory holding a secret f.txt of the same name. */
async function setUp() {
  // The user rejects every patch: only what planning read, and showed in the diff, matters here.
  const h = await patchHarness({ 'd/f.txt': 'inside\n' }, { answer: { approved: false, by: 'user' } });
  const outside = makeTempRepo({ 'f.txt': `${SECRET}\n` }, { git: false });
  cleanups.push(
    () => h.repo.remove(),
    () => outside.remove(),
  );
  const dir = path.join(h.repo.root, 'd');
  return { h, dir, outside: outside.root };
}

const REPLACED = /d\/f\.txt was replaced while it was being read .*Nothing was read/;
const PATCH = '*** Begin Patch\n*** Update File: d/f.txt\n@@\n-inside\n+changed\n*** End Patch';

describe('a path changed after the guard checked it', () => {
  it('read_file refuses a directory swapped for a link, and shows nothing from outside', async () => {
    const { h, dir, outside } = await setUp();
    const tool = createReadFileTool({ checked: async () => swapForLink(dir, outside) });
    const text = await toolOutcome(() => tool.execute({ path: 'd/f.txt' }, h.ctx));
    expect(text).toMatch(REPLACED);
    expect(text).not.toContain('SECRET');
  });

  it('read_file refuses the file itself swapped for a link', async () => {
    const { h, dir, outside } = await setUp();
    const file = path.join(dir, 'f.txt');
    const tool = createReadFileTool({
      checked: async () => {
        unlinkSync(file);
        symlinkSync(path.join(outside, 'f.txt'), file);
      },
    });
    const text = await toolOutcome(() => tool.execute({ path: 'd/f.txt' }, h.ctx));
    expect(text).toMatch(REPLACED);
    expect(text).not.toContain('SECRET');
  });

  it('apply_patch refuses to plan against a directory swapped for a link, and asks nothing', async () => {
    const { h, dir, outside } = await setUp();
    writeFileSync(path.join(outside, 'f.txt'), 'inside\n'); // the patch would fit the outside file too
    const tool = createApplyPatchTool({ checked: async () => swapForLink(dir, outside) });
    const text = await toolOutcome(() => tool.execute({ input: PATCH }, h.ctx));
    expect(text).toMatch(REPLACED);
    expect(text).toMatch(/Nothing was changed/);
    expect(h.requests).toEqual([]);
  });

  it('apply_patch refuses to plan against the file swapped for a link to a secret', async () => {
    const { h, dir, outside } = await setUp();
    const file = path.join(dir, 'f.txt');
    const tool = createApplyPatchTool({
      checked: async () => {
        unlinkSync(file);
        symlinkSync(path.join(outside, 'f.txt'), file);
      },
    });
    const text = await toolOutcome(() =>
      tool.execute({ input: `*** Begin Patch\n*** Delete File: d/f.txt\n*** End Patch` }, h.ctx),
    );
    expect(text).toMatch(REPLACED);
    expect(text).not.toContain('SECRET');
    expect(h.requests).toEqual([]);
  });
});

describe('a process swapping a directory and a symbolic link while the agent reads through it', () => {
  async function withSwapper(dir: string, outside: string, work: () => Promise<void>): Promise<void> {
    const child = spawn(process.execPath, [swapper, dir, outside], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    try {
      await work();
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) =>
        child.exitCode !== null || child.signalCode ? resolve(null) : child.once('exit', resolve),
      );
      if (lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(dir);
      if (lstatSync(`${dir}.real`, { throwIfNoEntry: false })) renameSync(`${dir}.real`, dir);
    }
  }

  it('read_file never shows the outside file, in 200 reads', async () => {
    const { h, dir, outside } = await setUp();
    const shown = new Set<string>();
    await withSwapper(dir, outside, async () => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const text = await toolOutcome(() => readFileTool.execute({ path: 'd/f.txt' }, h.ctx));
        expect(text).not.toContain('SECRET');
        shown.add(text.split('\n')[0]!.replace(/\d+/g, 'N'));
      }
    });
    for (const first of shown) {
      expect(first).toMatch(/^N\tinside$|symbolic link|replaced while|removed while|No file/);
    }
    expect(readdirSync(dir)).toEqual(['f.txt']);
  });

  it('apply_patch never puts the outside file in a diff, in 200 patches', async () => {
    const { h, dir, outside } = await setUp();
    // The outside file fits the patch too: only where it was read from tells them apart.
    writeFileSync(path.join(outside, 'f.txt'), `inside\n${SECRET}\n`);
    const tool = createApplyPatchTool();
    await withSwapper(dir, outside, async () => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const text = await toolOutcome(() => tool.execute({ input: PATCH }, h.ctx));
        expect(text).not.toContain('SECRET');
      }
    });
    for (const request of h.requests) expect(request.diff).not.toContain('SECRET');
    expect(h.read('d/f.txt')).toBe('inside\n');
  });
});
