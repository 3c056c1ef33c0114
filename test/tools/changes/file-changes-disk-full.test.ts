// A write that runs out of disk space leaves nothing behind, and the next
// start removes our temporary files that nothing names any more (an earlier
// version's leftovers), never a file of the user's with a similar name. On a
// real, small tmpfs holding a real git repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/modes/open-workspace.js';
import { applyPatchTool } from '../../../tools/apply-patch.js';
import { applyFileChanges } from '../../../tools/changes/file-changes.js';
import type { ToolContext } from '../../../tools/tool.js';

const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'gptoss-diskfull-'));
const state = mkdtempSync(path.join(os.tmpdir(), 'gptoss-diskfull-state-'));
/** Mounting needs root (or CAP_SYS_ADMIN); elsewhere the tests are skipped, saying why. */
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('file-changes-disk-full: skipped, a tmpfs cannot be mounted here (needs root).');
    return false;
  }
})();
const env = { XDG_STATE_HOME: state };
const openWorkspaceModule = fileURLToPath(new URL('../../../src/modes/open-workspace.ts', import.meta.url));
const root = path.join(mountPoint, 'repo');

afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

// One test's leftovers must not fill the disk for the next.
afterEach(() => {
  if (!mounted) return;
  for (const file of [path.join(mountPoint, 'filler'), path.join(root, 'big-old.txt'), path.join(root, 'b.txt')]) {
    rmSync(file, { force: true });
  }
});

beforeAll(() => {
  if (!mounted) return;
  mkdirSync(root);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: root });
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(root, 'a.txt'), 'a\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
});

/** Every file but those under .git. */
const files = () =>
  readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => !file.startsWith('.git') && statSync(path.join(root, file)).isFile())
    .sort();

/** apply_patch as a fresh start runs it; `meanwhile` runs once the start's recovery is done. */
async function apply(input: string, meanwhile?: () => void): Promise<string> {
  const { workspace } = await openWorkspace(root, env);
  meanwhile?.();
  const ctx: ToolContext = { workspace, signal: new AbortController().signal, ask: async () => ({ approved: true }) };
  try {
    return (await applyPatchTool.execute({ input }, ctx)).output;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A 200 KB file: more than the disk has left. */
const addBig = () => `*** Begin Patch\n*** Add File: big.txt\n${`+${'y'.repeat(99)}\n`.repeat(2000)}*** End Patch`;

describe.skipIf(!mounted)('a full disk', () => {
  it('fails an added file with nothing changed and no temporary file left', async () => {
    const message = await apply(addBig());
    expect(message).toMatch(/ENOSPC.*The disk \(or your quota\) is full: free some space/s);
    expect(message).toMatch(/nothing was changed/i);
    expect(files()).toEqual(['a.txt']);
  });

  it('fails an edit once the disk is quite full, leaving the file and no empty temporary file', async () => {
    const filler = path.join(mountPoint, 'filler');
    const fill = () => {
      try {
        writeFileSync(filler, Buffer.alloc(512 * 1024));
      } catch {
        // Filled to the last block: that is the point.
      }
    };
    const message = await apply('*** Begin Patch\n*** Update File: a.txt\n@@\n-a\n+b\n*** End Patch', fill);
    rmSync(filler, { force: true });
    expect(message).toMatch(/nothing was changed/i);
    expect(files()).toEqual(['a.txt']);
    expect(readFileSync(path.join(root, 'a.txt'), 'utf8')).toBe('a\n');
    // With room again, the edit goes through.
    expect(await apply('*** Begin Patch\n*** Update File: a.txt\n@@\n-a\n+b\n*** End Patch')).toMatch(/a\.txt/);
    expect(files()).toEqual(['a.txt']);
  });

  it('keeps the journal note when putting files back fails too, and the next start puts them back', async () => {
    const old = `${'o'.repeat(100_000)}\n`;
    writeFileSync(path.join(root, 'big-old.txt'), old);
    writeFileSync(path.join(root, 'b.txt'), 'b\n');
    const filler = path.join(mountPoint, 'filler');
    const { workspace } = await openWorkspace(root, env);
    let renames = 0;
    const failure = await applyFileChanges(
      workspace,
      [
        { type: 'update', path: 'big-old.txt', content: 'small\n' },
        { type: 'update', path: 'b.txt', content: 'B\n' },
      ],
      {
        rename: async (from, to) => {
          if (++renames === 2) {
            // The disk fills up between the two renames: the 100 KB to put back no longer fit.
            try {
              writeFileSync(filler, Buffer.alloc(512 * 1024));
            } catch {
              // Full to the last block.
            }
            throw new Error('injected failure');
          }
          await rename(from, to);
        },
        unlink,
      },
    ).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(
      /putting back the files it had already changed failed too \(ENOSPC[^)]*\): big-old\.txt may hold the new text.*next start/s,
    );
    const notes = () =>
      readdirSync(state, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.json'));
    expect(notes()).toHaveLength(1);

    rmSync(filler, { force: true });
    // The next start (another process; this one handed the note on).
    const recovered = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { openWorkspace } = await import(${JSON.stringify(openWorkspaceModule)});
         console.log(JSON.stringify((await openWorkspace(process.argv[1], process.env)).recovered));`,
        root,
      ],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
    );
    expect(recovered).toContain('Put back as they were before that change: big-old.txt');
    expect(readFileSync(path.join(root, 'big-old.txt'), 'utf8')).toBe(old);
    expect(readFileSync(path.join(root, 'b.txt'), 'utf8')).toBe('b\n');
    expect(notes()).toEqual([]);
    expect(files()).toEqual(['a.txt', 'b.txt', 'big-old.txt']);
  });

  it('the first start in the repository removes our leftover temporary files that no note names, and no file of the user', async () => {
    mkdirSync(path.join(root, 'sub', 'deeper'), { recursive: true });
    const ours = [
      '.0123456789abcdef.gptoss-tmp',
      'sub/.big.txt.1a2b3c4d.gptoss-tmp',
      'sub/deeper/.fedcba9876543210.gptoss-tmp',
    ];
    const users = [
      '.0123456789ABCDEF.gptoss-tmp',
      '.0123456789abcdef.gptoss-tmp.bak',
      'sub/0123456789abcdef.gptoss-tmp',
      'sub/.notes.gptoss-tmp',
      'sub/.x.1a2b3c4.gptoss-tmp',
      'sub/deeper/.0123456789abcde.gptoss-tmp',
    ];
    for (const file of [...ours, ...users]) writeFileSync(path.join(root, file), 'partial');
    // A directory of ours inside .git is git's business, not ours.
    writeFileSync(path.join(root, '.git', '.0123456789abcdef.gptoss-tmp'), 'git');

    // The tree is walked once per repository and state directory: a state directory of its own is a first start
    // (an earlier version's leftovers, or a state directory lost with the journal in it).
    const firstEnv = { XDG_STATE_HOME: mkdtempSync(path.join(os.tmpdir(), 'gptoss-diskfull-first-')) };
    try {
      const { recovered } = await openWorkspace(root, firstEnv);
      expect(recovered.join(' ')).toContain('Removed 3 temporary file(s)');
      expect(files()).toEqual(['a.txt', ...users].sort());
      expect(readFileSync(path.join(root, '.git', '.0123456789abcdef.gptoss-tmp'), 'utf8')).toBe('git');
      expect((await openWorkspace(root, firstEnv)).recovered).toEqual([]);
    } finally {
      rmSync(firstEnv.XDG_STATE_HOME, { recursive: true, force: true });
    }
  });
});
