import { afterEach, describe, expect, it } from 'vitest';
import { parseGitStatus, readGitStatus } from '../../src/modes/git-status.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

describe('git status for the status line', () => {
  it('reads the branch and whether anything changed, in a real repository', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a\n' });
    repos.push(repo);
    expect(await readGitStatus(repo.root)).toEqual({ branch: 'main', dirty: false });
    repo.write('a.txt', 'changed\n');
    expect(await readGitStatus(repo.root)).toEqual({ branch: 'main', dirty: true });
    repo.git('checkout', '-q', '-b', 'feature/x');
    expect(await readGitStatus(repo.root)).toEqual({ branch: 'feature/x', dirty: true });
  });

  it('gives nothing outside a repository', async () => {
    const dir = makeTempRepo({ 'a.txt': 'a' }, { git: false });
    repos.push(dir);
    expect(await readGitStatus(dir.root)).toBeUndefined();
  });

  it('understands unborn and detached heads and tracking branches', () => {
    expect(parseGitStatus('## No commits yet on main\n')).toEqual({ branch: 'main', dirty: false });
    expect(parseGitStatus('## HEAD (no branch)\n M a.ts\n')).toEqual({ branch: 'detached HEAD', dirty: true });
    expect(parseGitStatus('## main...origin/main [ahead 2]\n?? new.txt\n')).toEqual({ branch: 'main', dirty: true });
  });
});
