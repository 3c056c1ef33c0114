import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionHarness, type SessionHarness } from './session-harness.js';

const harnesses: SessionHarness[] = [];
afterEach(() => {
  for (const harness of harnesses.splice(0)) harness.cleanup();
});

const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0x10]);

async function setUp() {
  const harness = await sessionHarness({
    'src/app.ts': 'export const a = 1;\n',
    'run.sh': '#!/bin/sh\necho run\n',
    'old.txt': 'old\n',
    'docs/guide.md': '# Guide\n',
    'logo.png': BINARY,
    'staged.txt': 'committed\n',
  });
  harness.chmod('run.sh', 0o755);
  harness.repo.commit('modes');
  harnesses.push(harness);
  return harness;
}

/** The git state undo must never touch. */
function gitState(h: SessionHarness) {
  return {
    head: h.repo.git('rev-parse', 'HEAD'),
    index: h.repo.git('ls-files', '--stage'),
    staged: h.repo.git('diff', '--cached'),
    stash: h.repo.git('stash', 'list'),
    branches: h.repo.git('branch', '--list'),
  };
}

describe('undo', () => {
  it('reverts created, modified, deleted and moved files exactly, with modes, and leaves git alone', async () => {
    const h = await setUp();
    h.repo.write('staged.txt', 'staged by the user\n');
    h.repo.git('add', 'staged.txt');
    const original = h.tree();
    const git = gitState(h);

    await h.apply([
      { type: 'update', path: 'src/app.ts', content: 'export const a = 2;\n' },
      { type: 'add', path: 'src/new/deep/util.ts', content: 'export {};\n' },
    ]);
    await h.apply([{ type: 'delete', path: 'run.sh' }]);
    await h.apply([{ type: 'update', path: 'old.txt', content: 'moved and changed\n', moveTo: 'archive/old.txt' }]);
    await h.apply([{ type: 'update', path: 'logo.png', content: 'now text\n' }]);
    expect(h.tree()).not.toEqual(original);

    const outcome = await h.session.undo(4);
    expect(outcome.ok).toBe(true);
    expect(h.tree()).toEqual(original);
    expect(gitState(h)).toEqual(git);
    expect(h.session.undoable()).toHaveLength(0);
  });

  it('undoes one change set at a time, newest first', async () => {
    const h = await setUp();
    const original = h.tree();
    await h.apply([{ type: 'update', path: 'src/app.ts', content: 'export const a = 2;\n' }]);
    const afterFirst = h.tree();
    await h.apply([{ type: 'update', path: 'src/app.ts', content: 'export const a = 3;\n' }]);

    const second = await h.session.undo();
    expect(second).toMatchObject({ ok: true, files: [{ path: 'src/app.ts', change: 'update' }] });
    expect(second.ok && second.diff).toContain('-export const a = 3;\n+export const a = 2;');
    expect(h.tree()).toEqual(afterFirst);
    await h.session.undo();
    expect(h.tree()).toEqual(original);
    expect(await h.session.undo()).toMatchObject({ ok: false, message: expect.stringMatching(/^Nothing to undo/) });
  });

  it('refuses when a file was edited by hand since, shows the edit, and changes nothing', async () => {
    const h = await setUp();
    await h.apply([
      { type: 'update', path: 'src/app.ts', content: 'export const a = 2;\n' },
      { type: 'add', path: 'notes.md', content: 'agent notes\n' },
    ]);
    h.repo.write('src/app.ts', 'export const a = 2;\nexport const mine = true;\n');
    const before = h.tree();

    const outcome = await h.session.undo();
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.message).toMatch(/Nothing was undone: src\/app\.ts changed after the agent's edit/);
    expect(outcome.conflicts).toHaveLength(1);
    expect(outcome.conflicts[0]).toMatchObject({ path: 'src/app.ts', reason: 'edited since' });
    expect(outcome.conflicts[0]!.diff).toContain('+export const mine = true;');
    expect(h.tree()).toEqual(before);
    expect(h.session.undoable()).toHaveLength(1);

    // Once the hand edit is gone, the same undo goes through.
    h.repo.write('src/app.ts', 'export const a = 2;\n');
    expect((await h.session.undo()).ok).toBe(true);
    expect(readFileSync(path.join(h.repo.root, 'src/app.ts'), 'utf8')).toBe('export const a = 1;\n');
  });

  it.each([
    ['deleted by hand', (h: SessionHarness) => unlinkSync(path.join(h.repo.root, 'created.txt')), 'deleted since'],
    [
      'mode changed by hand',
      (h: SessionHarness) => h.chmod('created.txt', 0o700),
      /mode changed since \(0644 → 0700\)/,
    ],
  ])('refuses when the file was %s', async (_what, meddle, reason) => {
    const h = await setUp();
    await h.apply([{ type: 'add', path: 'created.txt', content: 'x\n' }]);
    h.chmod('created.txt', 0o644);
    meddle(h);
    const outcome = await h.session.undo();
    expect(outcome).toMatchObject({ ok: false, conflicts: [{ path: 'created.txt', reason }] });
  });

  it('refuses to undo across a hand edit made between two of the agent changes', async () => {
    const h = await setUp();
    await h.apply([{ type: 'update', path: 'src/app.ts', content: 'export const a = 2;\n' }]);
    h.repo.write('src/app.ts', 'export const a = 2; // mine\n');
    await h.apply([{ type: 'update', path: 'src/app.ts', content: 'export const a = 3; // mine\n' }]);

    expect(await h.session.undo(2)).toMatchObject({ ok: false, conflicts: [{ path: 'src/app.ts' }] });
    expect(readFileSync(path.join(h.repo.root, 'src/app.ts'), 'utf8')).toBe('export const a = 3; // mine\n');
    // Undoing only the last change keeps the user's edit.
    expect((await h.session.undo(1)).ok).toBe(true);
    expect(readFileSync(path.join(h.repo.root, 'src/app.ts'), 'utf8')).toBe('export const a = 2; // mine\n');
  });

  it('keeps a directory the agent created when the user has put a file in it since', async () => {
    const h = await setUp();
    await h.apply([{ type: 'add', path: 'gen/out.txt', content: 'x\n' }]);
    writeFileSync(path.join(h.repo.root, 'gen/mine.txt'), 'mine\n');
    expect((await h.session.undo()).ok).toBe(true);
    expect(h.tree().get('gen/mine.txt')).toBeDefined();
    expect(h.tree().get('gen/out.txt')).toBeUndefined();
  });

  it('says how many changes can be undone when asked for more', async () => {
    const h = await setUp();
    await h.apply([{ type: 'add', path: 'a.txt', content: 'a\n' }]);
    expect(await h.session.undo(3)).toMatchObject({
      ok: false,
      message: 'Only 1 change(s) of this session can be undone; undo 1 reverts them all.',
    });
  });

  it('survives the process: a reopened session undoes what an earlier run applied', async () => {
    const h = await setUp();
    const original = h.tree();
    await h.apply([{ type: 'update', path: 'src/app.ts', content: 'export const a = 2;\n' }]);
    await h.apply([{ type: 'delete', path: 'run.sh' }]);
    await h.session.undo(1);
    const reopened = await h.reopen();
    expect(reopened.undoable().map((c) => c.id)).toEqual([1]);
    expect((await reopened.undo(1)).ok).toBe(true);
    expect(h.tree()).toEqual(original);
    // The conversation learns about both undos.
    const notes = reopened.messages().filter((m) => m.role === 'user' && m.content.startsWith('[The user undid'));
    expect(notes).toHaveLength(2);
  });
});
