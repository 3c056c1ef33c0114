import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInstructions, whereUser } from '../../src/agent/instructions.js';
import { surfaceToolNames } from '../../tools/surfaces/surface.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

async function workspace() {
  const repo = makeTempRepo({ 'AGENTS.md': `- Test: \`npm test\`\n${'x'.repeat(7000)}\n` });
  repos.push(repo);
  return Workspace.open(repo.root);
}

describe('instructions name the tools as the surface offers them', () => {
  it('keeps our own names on the functions surface', async () => {
    const text = await buildInstructions(await workspace(), 'system.md', surfaceToolNames('functions'));
    expect(text).toContain('locate code with grep or list_files and read it with read_file before');
    expect(text).toContain('- Change files only with apply_patch.');
    expect(text).toContain('read it with read_file if needed]');
    expect(text).not.toMatch(/\{\{\w+\}\}/);
  });

  it("uses gpt-oss's own names on the native surface", async () => {
    const text = await buildInstructions(await workspace(), 'system.md', surfaceToolNames('native'));
    expect(text).toContain(
      'locate code with repo_browser.search or repo_browser.list_dir and read it with repo_browser.open_file before',
    );
    expect(text).toContain('- Change files only with repo_browser.apply_patch.');
    expect(text).toContain('read it with repo_browser.open_file if needed]');
    const fix = await buildInstructions(await workspace(), 'fix.md', surfaceToolNames('native'));
    expect(fix).toContain('(repo_browser.open_file, repo_browser.search)');
    expect(fix).not.toMatch(/\{\{\w+\}\}/);
  });
});

describe('instructions in a subdirectory', () => {
  it('name the subdirectory and say that paths still start at the root, the same on every run', async () => {
    const repo = makeTempRepo({ 'src/cart.js': 'x\n', 'src/AGENTS.md': '- Cart notes\n' });
    repos.push(repo);
    const inSrc = () => Workspace.open(path.join(repo.root, 'src'));
    const text = await buildInstructions(await inSrc());
    expect(text).toContain('- Paths are relative to the repository root.');
    expect(text).toContain(
      'The user is in the subdirectory src/ of the repository. Paths you give tools still start at the repository root: a file there is src/<name>, not <name>.',
    );
    expect(text).not.toContain('Working directory');
    expect(await buildInstructions(await inSrc())).toBe(text);
    const fix = await buildInstructions(await inSrc(), 'fix.md');
    expect(fix).toContain('The user is in the subdirectory src/ of the repository.');
    expect(await buildInstructions(await Workspace.open(repo.root))).toContain('The user is at the repository root.');
  });

  it('quote a directory name with control characters, keeping the line whole', () => {
    expect(whereUser('odd\nname')).toBe(
      'The user is in the subdirectory "odd\\nname"/ of the repository. Paths you give tools still start at the repository root: a file there is "odd\\nname"/<name>, not <name>.',
    );
  });
});
