// A repository controls what its .gptoss-agent/config.json is. Made a FIFO, a
// device or a huge file, it must not hang or flood the start: the file is
// refused with a message naming it, and nothing else is read from it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function repoWithConfig(plant: (file: string) => void): { root: string; env: NodeJS.ProcessEnv } {
  const home = makeTempRepo({}, { git: false });
  const repo = makeTempRepo({ 'a.txt': 'a' });
  repos.push(home, repo);
  const file = path.join(repo.root, '.gptoss-agent/config.json');
  mkdirSync(path.dirname(file), { recursive: true });
  plant(file);
  return { root: repo.root, env: { HOME: home.root } };
}

describe('a project config that is not a plain file', () => {
  it.each([
    ['a FIFO', (file: string) => execFileSync('mkfifo', [file])],
    ['a link to a device that never ends', (file: string) => symlinkSync('/dev/zero', file)],
    ['a file over a megabyte', (file: string) => writeFileSync(file, `{"reasoning":"high",${' '.repeat(2 << 20)}}`)],
  ])('is refused at once when it is %s', async (_kind, plant) => {
    const { root, env } = repoWithConfig(plant);
    // Bounded by the test's own timeout: before, a FIFO or /dev/zero made this wait (or read) forever.
    const loading = loadConfig({ root, env });
    await expect(loading).rejects.toBeInstanceOf(ConfigError);
    await expect(loading).rejects.toThrow(/\.gptoss-agent\/config\.json/);
  });

  it('still reads an ordinary config file', async () => {
    const { root, env } = repoWithConfig((file) => writeFileSync(file, '{"reasoning":"high"}'));
    expect((await loadConfig({ root, env })).config.reasoning).toBe('high');
  });
});
