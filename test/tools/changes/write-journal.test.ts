// A change set whose process is killed between two renames (a real SIGKILL of
// a child process) is put back by the next start in the repository.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/modes/open-workspace.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const script = fileURLToPath(new URL('../../fixtures/interrupted-change-set.ts', import.meta.url));
const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.remove()));

function setUp() {
  const repo = makeTempRepo({ 'a.txt': 'a\n', 'c.txt': 'c\n' });
  const state = makeTempRepo({}, { git: false });
  repos.push(repo, state);
  const env = { XDG_STATE_HOME: state.root };
  const journalDir = path.join(state.root, 'gptoss-agent', 'writes-in-progress');
  const read = (file: string) =>
    existsSync(path.join(repo.root, file)) ? readFileSync(path.join(repo.root, file), 'utf8') : undefined;
  /** Every file in the repository but .git, temporary ones included. */
  const files = () =>
    readdirSync(repo.root, { recursive: true, encoding: 'utf8' })
      .filter((file) => !file.startsWith('.git') && statSync(path.join(repo.root, file)).isFile())
      .sort();
  return { repo, env, journalDir, read, files };
}

function runChild(root: string, journalDir: string, mode: 'kill' | 'hold' | 'kill-in-rollback' | 'kill-in-recovery') {
  return spawn(process.execPath, ['--import', 'tsx', script, root, journalDir, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function killedMidway(
  root: string,
  journalDir: string,
  mode: 'kill' | 'kill-in-rollback' | 'kill-in-recovery' = 'kill',
): Promise<void> {
  const child = runChild(root, journalDir, mode);
  const signal = await new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  expect(signal).toBe('SIGKILL');
}

describe('change sets interrupted by a kill', () => {
  it('are put back as they were on the next start, temporary files and all', async () => {
    const { repo, env, journalDir, read, files } = setUp();
    // Bits the umask would strip from a plain write.
    chmodSync(path.join(repo.root, 'a.txt'), 0o664);
    await killedMidway(repo.root, journalDir);
    // Half applied: a.txt changed, b.txt still a temporary file, c.txt not yet deleted.
    expect(read('a.txt')).toBe('a, changed\n');
    expect(files().some((file) => file.endsWith('.gptoss-tmp'))).toBe(true);

    const { recovered } = await openWorkspace(repo.root, env);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toContain('Put back as they were before that change: a.txt');
    expect(files()).toEqual(['a.txt', 'c.txt']);
    expect(existsSync(path.join(repo.root, 'new'))).toBe(false);
    expect([read('a.txt'), read('c.txt')]).toEqual(['a\n', 'c\n']);
    expect(statSync(path.join(repo.root, 'a.txt')).mode & 0o777).toBe(0o664);
    expect(readdirSync(journalDir)).toEqual([]);
    // Once is enough.
    expect((await openWorkspace(repo.root, env)).recovered).toEqual([]);
  });

  // After the first start in a repository the tree is no longer walked: every temporary file a kill can leave
  // must be named by a note.
  describe('after a start that swept the tree', () => {
    const temps = (files: string[]) => files.filter((file) => file.endsWith('.gptoss-tmp'));

    it('a later start does not walk the tree: an unnamed leftover waits for a start without the record', async () => {
      const { repo, env, files } = setUp();
      expect((await openWorkspace(repo.root, env)).recovered).toEqual([]);
      // What no note names: an earlier version's leftover, planted after the first start.
      mkdirSync(path.join(repo.root, 'deep', 'er'), { recursive: true });
      writeFileSync(path.join(repo.root, 'deep', 'er', '.0123456789abcdef.gptoss-tmp'), 'old');
      expect((await openWorkspace(repo.root, env)).recovered).toEqual([]);
      expect(temps(files())).toHaveLength(1);
      // A state directory without the record (a new one, or the old one lost) walks the tree once more.
      const fresh = makeTempRepo({}, { git: false });
      repos.push(fresh);
      expect((await openWorkspace(repo.root, { XDG_STATE_HOME: fresh.root })).recovered[0]).toContain(
        'Removed 1 temporary file(s)',
      );
      expect(files()).toEqual(['a.txt', 'c.txt']);
    });

    it('a kill mid-write leaves no temporary file behind the next start', async () => {
      const { repo, env, journalDir, read, files } = setUp();
      expect((await openWorkspace(repo.root, env)).recovered).toEqual([]);
      await killedMidway(repo.root, journalDir);
      expect(temps(files())).toHaveLength(1);

      expect((await openWorkspace(repo.root, env)).recovered[0]).toContain('Removed 1 temporary file(s)');
      expect(files()).toEqual(['a.txt', 'c.txt']);
      expect(read('a.txt')).toBe('a\n');
    });

    it('a kill while a failed write is rolled back leaves no temporary file behind the next start', async () => {
      const { repo, env, journalDir, read, files } = setUp();
      await openWorkspace(repo.root, env);
      await killedMidway(repo.root, journalDir, 'kill-in-rollback');
      // The rollback had written a.txt's old bytes to a temporary file when the kill came.
      expect(read('a.txt')).toBe('a, changed\n');
      expect(temps(files())).toHaveLength(1);

      expect((await openWorkspace(repo.root, env)).recovered[0]).toContain('Put back as they were');
      expect(files()).toEqual(['a.txt', 'c.txt']);
      expect([read('a.txt'), read('c.txt')]).toEqual(['a\n', 'c\n']);
      expect(existsSync(path.join(repo.root, 'new'))).toBe(false);
    });

    it('a kill while a start puts files back leaves no temporary file behind the following start', async () => {
      const { repo, env, journalDir, read, files } = setUp();
      await openWorkspace(repo.root, env);
      await killedMidway(repo.root, journalDir);
      await killedMidway(repo.root, journalDir, 'kill-in-recovery');
      // The writer's own temporary file is gone; recovery's copy of a.txt's old bytes is there instead.
      expect(read('a.txt')).toBe('a, changed\n');
      expect(temps(files())).toHaveLength(1);

      expect((await openWorkspace(repo.root, env)).recovered[0]).toContain('Put back as they were');
      expect(files()).toEqual(['a.txt', 'c.txt']);
      expect([read('a.txt'), read('c.txt')]).toEqual(['a\n', 'c\n']);
      expect(readdirSync(journalDir)).toEqual([]);
    });
  });

  it('leave a file the user changed since as it is, and say so', async () => {
    const { repo, env, journalDir, read } = setUp();
    await killedMidway(repo.root, journalDir);
    writeFileSync(path.join(repo.root, 'a.txt'), 'a, by hand\n');

    const { recovered } = await openWorkspace(repo.root, env);
    expect(recovered[0]).toContain('Left as they are, since they changed again after it: a.txt');
    expect(read('a.txt')).toBe('a, by hand\n');
    expect(read('c.txt')).toBe('c\n');
  });

  it('are not touched while the process writing them still runs, nor from another repository', async () => {
    const { repo, env, journalDir, read } = setUp();
    const other = setUp();
    const child = runChild(repo.root, journalDir, 'hold');
    await new Promise((resolve) => child.stdout.once('data', resolve));
    try {
      expect((await openWorkspace(repo.root, env)).recovered).toEqual([]);
      expect(read('a.txt')).toBe('a, changed\n');
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) =>
        child.exitCode !== null || child.signalCode ? resolve(null) : child.once('exit', resolve),
      );
    }
    // The other repository's start leaves this one's note for this one.
    expect((await openWorkspace(other.repo.root, env)).recovered).toEqual([]);
    expect((await openWorkspace(repo.root, env)).recovered).toHaveLength(1);
    expect(read('a.txt')).toBe('a\n');
  });

  it('drop a note cut short before any file was written', async () => {
    const { repo, env, journalDir, files } = setUp();
    const gone = spawnSync('true').pid!;
    mkdirSync(journalDir, { recursive: true });
    writeFileSync(path.join(journalDir, `${gone}-0a0b-0.json`), '{"root":');
    expect((await openWorkspace(repo.root, env)).recovered).toEqual([]);
    expect(readdirSync(journalDir)).toEqual([]);
    expect(files()).toEqual(['a.txt', 'c.txt']);
  });

  it('remove only temporary files of ours inside the repository, whatever a note names', async () => {
    const { repo, env, journalDir, files } = setUp();
    const outside = makeTempRepo({ '.0123456789abcdef.gptoss-tmp': 'outside' }, { git: false });
    repos.push(outside);
    const gone = spawnSync('true').pid!;
    mkdirSync(journalDir, { recursive: true });
    const temps = [path.join(repo.root, 'a.txt'), path.join(outside.root, '.0123456789abcdef.gptoss-tmp')];
    writeFileSync(path.join(journalDir, `${gone}-0a0b-0.json`), JSON.stringify({ root: repo.root, temps, files: [] }));
    expect((await openWorkspace(repo.root, env)).recovered).toEqual([]);
    expect(files()).toEqual(['a.txt', 'c.txt']);
    expect(readdirSync(outside.root)).toEqual(['.0123456789abcdef.gptoss-tmp']);
  });
});
