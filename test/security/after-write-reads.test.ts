// What the agent reads of a file after it changed it: the line counts of the fix
// summary, and the file as it is now when the user undoes the change. A sandboxed
// command (the model's, or a test run's) may have replaced that file meanwhile
// with a FIFO, a link to /dev/zero, a link to a secret outside the repository
// or a giant: the agent must never wait, never read outside, never read without
// bound, and undo must never overwrite or delete what it did not read.
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeTally } from '../../src/agent/change-tally.js';
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import { ScriptedBackend } from '../fixtures/scripted-backend.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { testAgent } from '../fixtures/test-agent.js';
import { sessionHarness, type SessionHarness } from '../agent/session-harness.js';

/** A hang is the failure these tests look for; this only keeps one from stalling the suite. */
const SAFETY_NET_MS = 30_000;

const SECRET = 'outside-secret-line\n'.repeat(5);

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A file outside every repository holding SECRET; its absolute path. */
function secretOutside(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-outside-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'secret.txt');
  writeFileSync(file, SECRET);
  return file;
}

describe('the changed-file tally (fix summary)', () => {
  /** The model patches hello.txt, then a sandboxed command replaces it with `plant`; the tally afterwards. */
  async function tallyAfter(plant: string) {
    const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
    cleanups.push(() => repo.remove());
    const tally = new ChangeTally();
    const backend = new ScriptedBackend([
      {
        toolCalls: [
          {
            name: 'apply_patch',
            arguments: {
              input: '*** Begin Patch\n*** Update File: hello.txt\n@@\n-hello world\n+hello there\n*** End Patch',
            },
          },
        ],
      },
      { toolCalls: [{ name: 'shell', arguments: { command: `rm hello.txt && ${plant}` } }] },
      { answer: 'Done.' },
    ]);
    const { agent, events } = await testAgent(repo.root, backend, {
      approvalMode: 'full-auto',
      toolServices: { sandbox: new Sandbox({ enabled: true, env: process.env }) },
      onChangesApplied: tally.record,
    });
    await agent.runTurn('Change the greeting.');
    const results = events.flatMap((e) => (e.type === 'tool.result' ? [[e.name, e.ok]] : []));
    expect(results).toEqual([
      ['apply_patch', true],
      ['shell', true],
    ]);
    return { stats: await tally.diffstat(repo.root), file: path.join(repo.root, 'hello.txt') };
  }

  it('does not wait on a FIFO a command put in place of a patched file', { timeout: SAFETY_NET_MS }, async () => {
    const { stats, file } = await tallyAfter('mkfifo hello.txt');
    // The text the agent left is gone; nothing was read from the FIFO.
    expect(stats).toEqual([{ path: 'hello.txt', added: 0, removed: 1 }]);
    expect(lstatSync(file).isFIFO()).toBe(true);
  });

  it('counts no line of a file outside that a command linked in place of a patched file', async () => {
    const { stats } = await tallyAfter(`ln -s ${JSON.stringify(secretOutside())} hello.txt`);
    expect(stats).toEqual([{ path: 'hello.txt', added: 0, removed: 1 }]);
  });

  it('does not read /dev/zero linked in place of a patched file', { timeout: SAFETY_NET_MS }, async () => {
    const { stats } = await tallyAfter('ln -s /dev/zero hello.txt');
    expect(stats).toEqual([{ path: 'hello.txt', added: 0, removed: 1 }]);
  });

  it('still counts the real change', async () => {
    const { stats } = await tallyAfter('printf "hello there\\nsecond\\n" > hello.txt');
    expect(stats).toEqual([{ path: 'hello.txt', added: 2, removed: 1 }]);
  });
});

describe('undo after the changed file was replaced', () => {
  const LEFT = 'export const a = 2;\n';

  /** The agent changed src/app.ts (and created made.txt); `replace` then puts something else in place of one. */
  async function changed(): Promise<SessionHarness> {
    const h = await sessionHarness({ 'src/app.ts': 'export const a = 1;\n', 'other.ts': 'mine\n' });
    cleanups.push(() => h.cleanup());
    await h.apply([
      { type: 'update', path: 'src/app.ts', content: LEFT },
      { type: 'add', path: 'made.txt', content: 'made\n' },
    ]);
    return h;
  }

  const at = (h: SessionHarness, relative: string) => path.join(h.repo.root, relative);

  /** The tree as this test can look at it without waiting on a FIFO or reading a giant. */
  function tree(h: SessionHarness, dir = h.repo.root, out = new Map<string, string>()): Map<string, string> {
    for (const name of readdirSync(dir).sort()) {
      if (name === '.git') continue;
      const full = path.join(dir, name);
      const stats = lstatSync(full);
      const key = path.relative(h.repo.root, full);
      if (stats.isDirectory()) tree(h, full, out.set(key, 'dir'));
      else if (stats.isSymbolicLink()) out.set(key, `link ${readlinkSync(full)}`);
      else if (!stats.isFile()) out.set(key, 'not a regular file');
      else if (stats.size > 1024 ** 2) out.set(key, `${stats.size} bytes`);
      else out.set(key, `${(stats.mode & 0o7777).toString(8)} ${readFileSync(full, 'base64')}`);
    }
    return out;
  }

  async function refusedUndo(h: SessionHarness, file: string, reason: RegExp) {
    const before = tree(h);
    const outcome = await h.session.undo();
    expect(outcome).toMatchObject({ ok: false, conflicts: [{ path: file, reason: expect.stringMatching(reason) }] });
    // Nothing was written, nothing removed, and the change can still be undone.
    expect(tree(h)).toEqual(before);
    expect(h.session.undoable()).toHaveLength(1);
    return outcome;
  }

  it('does not wait on a FIFO, leaves it, and undoes once the file is back', { timeout: SAFETY_NET_MS }, async () => {
    const h = await changed();
    unlinkSync(at(h, 'src/app.ts'));
    execFileSync('mkfifo', [at(h, 'src/app.ts')]);
    await refusedUndo(h, 'src/app.ts', /not a regular file/);
    expect(lstatSync(at(h, 'src/app.ts')).isFIFO()).toBe(true);

    // The user puts back what the agent left: undo then restores the original, and removes what the agent made.
    unlinkSync(at(h, 'src/app.ts'));
    writeFileSync(at(h, 'src/app.ts'), LEFT);
    expect(await h.session.undo()).toMatchObject({ ok: true });
    expect(readFileSync(at(h, 'src/app.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(() => lstatSync(at(h, 'made.txt'))).toThrow();
  });

  it('never deletes a FIFO put in place of a file the agent created', { timeout: SAFETY_NET_MS }, async () => {
    const h = await changed();
    unlinkSync(at(h, 'made.txt'));
    execFileSync('mkfifo', [at(h, 'made.txt')]);
    await refusedUndo(h, 'made.txt', /not a regular file/);
    expect(lstatSync(at(h, 'made.txt')).isFIFO()).toBe(true);
  });

  it('does not read /dev/zero linked in its place', { timeout: SAFETY_NET_MS }, async () => {
    const h = await changed();
    unlinkSync(at(h, 'src/app.ts'));
    symlinkSync('/dev/zero', at(h, 'src/app.ts'));
    await refusedUndo(h, 'src/app.ts', /symbolic link/);
  });

  it('shows nothing of a file outside linked in its place, and leaves both alone', async () => {
    const h = await changed();
    const secret = secretOutside();
    unlinkSync(at(h, 'src/app.ts'));
    symlinkSync(secret, at(h, 'src/app.ts'));
    const outcome = await refusedUndo(h, 'src/app.ts', /symbolic link/);
    expect(JSON.stringify(outcome)).not.toContain('outside-secret-line');
    expect(readFileSync(secret, 'utf8')).toBe(SECRET);
  });

  it('does not write the original into another file a link now points at', async () => {
    const h = await changed();
    // other.ts now holds exactly what the agent left in src/app.ts, and src/app.ts leads to it.
    writeFileSync(at(h, 'other.ts'), LEFT);
    unlinkSync(at(h, 'src/app.ts'));
    symlinkSync('../other.ts', at(h, 'src/app.ts'));
    await refusedUndo(h, 'src/app.ts', /symbolic link/);
    expect(readFileSync(at(h, 'other.ts'), 'utf8')).toBe(LEFT);
  });

  it('does not read a giant put in its place', { timeout: SAFETY_NET_MS }, async () => {
    const h = await changed();
    // Sparse: 3 GiB by its size, nothing on disk.
    truncateSync(at(h, 'src/app.ts'), 3 * 1024 ** 3);
    await refusedUndo(h, 'src/app.ts', /over 64(\.0)? MB/);
  });
});
