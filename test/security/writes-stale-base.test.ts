// A change is computed from the bytes a file held when it was read. If the
// file holds anything else when the change is written (another agent, a
// command or the user wrote it in between), writing would silently undo that
// edit: the write is refused, the file keeps the other edit, and the model is
// told to re-read it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointOf, undoCheckpoints } from '../../src/agent/checkpoints.js';
import { initAgentsMd, readOnlyTools } from '../../src/agent/init-agents-md.js';
import { Agent } from '../../src/agent/loop.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { ScriptedBackend } from '../fixtures/scripted-backend.js';
import { applyFileChanges } from '../../tools/changes/file-changes.js';
import { applyPatchTool } from '../../tools/apply-patch.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { WriteLock } from '../../tools/changes/write-lock.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.remove()));

/**
 * The real lock, with a moment injected just before it is taken: what another
 * agent holding it would have written by the time this one gets it.
 */
class LockAfterAnotherWriter extends WriteLock {
  meanwhile: (() => void) | undefined;
  override async hold<T>(root: string, work: () => Promise<T>): Promise<T> {
    const other = this.meanwhile;
    this.meanwhile = undefined;
    other?.();
    return super.hold(root, work);
  }
}

async function setUp(files: Record<string, string>) {
  const repo = makeTempRepo(files);
  const locks = makeTempRepo({}, { git: false });
  repos.push(repo, locks);
  const lock = new LockAfterAnotherWriter(locks.root);
  const workspace = await Workspace.open(repo.root, { writeLock: lock });
  const file = (relative: string) => path.join(repo.root, relative);
  const read = (relative: string) => readFileSync(file(relative), 'utf8');
  const apply = (input: string) =>
    applyPatchTool.execute(
      { input },
      { workspace, signal: new AbortController().signal, ask: async () => ({ approved: true }) },
    );
  return { repo, lock, workspace, file, read, apply };
}

const TEXT = 'alpha\nbeta\ngamma\ndelta\nepsilon\nzeta\neta\ntheta\n';

describe('a file written by someone else after the change was computed from it', () => {
  it('makes apply_patch refuse, keep the other edit, and tell the model to re-read the file', async () => {
    const h = await setUp({ 'notes.txt': TEXT });
    h.lock.meanwhile = () => writeFileSync(h.file('notes.txt'), TEXT.replace('theta', 'THETA (other agent)'));
    const failure = await h
      .apply('*** Begin Patch\n*** Update File: notes.txt\n@@\n-alpha\n+ALPHA\n*** End Patch')
      .catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain(
      'notes.txt changed after this change was computed from it (another agent, a command or an editor wrote it ' +
        'meanwhile), so writing it would undo that edit. Re-read notes.txt with read_file and make the change ' +
        'again against its current text.',
    );
    expect((failure as Error).message).toContain('Nothing was changed');
    expect(h.read('notes.txt')).toBe(TEXT.replace('theta', 'THETA (other agent)'));
  });

  it('makes apply_patch refuse to delete a file that changed, and to add one that appeared', async () => {
    const h = await setUp({ 'old.txt': 'old\n' });
    h.lock.meanwhile = () => writeFileSync(h.file('old.txt'), 'old, edited since\n');
    await expect(h.apply('*** Begin Patch\n*** Delete File: old.txt\n*** End Patch')).rejects.toThrow(
      /old\.txt changed after this change was computed from it/,
    );
    expect(h.read('old.txt')).toBe('old, edited since\n');

    h.lock.meanwhile = () => writeFileSync(h.file('new.txt'), 'written by the other agent\n');
    await expect(h.apply('*** Begin Patch\n*** Add File: new.txt\n+mine\n*** End Patch')).rejects.toThrow(
      /Cannot add new\.txt: it already exists/,
    );
    expect(h.read('new.txt')).toBe('written by the other agent\n');
  });

  it('is written when nothing changed in between (the check compares bytes, CRLF and BOM included)', async () => {
    const crlf = '\uFEFFone\r\ntwo\r\n';
    const h = await setUp({ 'win.txt': crlf });
    await h.apply('*** Begin Patch\n*** Update File: win.txt\n@@\n-two\n+TWO\n*** End Patch');
    expect(h.read('win.txt')).toBe('\uFEFFone\r\nTWO\r\n');
  });

  it('makes undo refuse and keep the other edit', async () => {
    const h = await setUp({ 'a.txt': 'a\n' });
    const set = await applyFileChanges(h.workspace, [{ type: 'update', path: 'a.txt', content: 'a, by the agent\n' }]);
    const blobs = new Map<string, Buffer>();
    const checkpoint = checkpointOf(set, 1, 'now', (bytes) => {
      blobs.set(String(blobs.size), bytes);
      return String(blobs.size - 1);
    });
    h.lock.meanwhile = () => writeFileSync(h.file('a.txt'), 'a, by the user\n');
    const outcome = await undoCheckpoints(h.workspace, [checkpoint], (blob) => blobs.get(blob)!);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toContain(
      'a.txt changed while the undo was being prepared. Nothing was undone',
    );
    expect(h.read('a.txt')).toBe('a, by the user\n');
  });

  it('makes /init refuse to write AGENTS.md over the edit made while its proposal waited', async () => {
    const h = await setUp({ 'AGENTS.md': '# Notes\n' });
    const agent = new Agent({
      backend: new ScriptedBackend([{ answer: '# AGENTS.md\n\n- Test: `npm test`' }]),
      tools: new ToolRegistry(readOnlyTools(defaultTools())),
      workspace: h.workspace,
      instructions: 'You are a test.',
      approvalMode: 'suggest',
      approver: async () => ({ approved: false }),
      emit: () => {},
    });
    const result = await initAgentsMd({
      agent,
      workspace: h.workspace,
      ask: async () => {
        writeFileSync(h.file('AGENTS.md'), '# Notes\n- kept by the user\n');
        return { approved: true };
      },
    });
    expect(result).toMatchObject({
      status: 'failed',
      message: 'AGENTS.md was not written: it changed while the proposal waited for approval. Run /init again.',
    });
    expect(h.read('AGENTS.md')).toBe('# Notes\n- kept by the user\n');
  });
});
