// grep, list_files, symbols and the review read and list the working tree
// through programs (ripgrep, git) and worker threads. A symbolic link out of
// the repository, committed or planted in place of a directory (before the
// call, or after the guard checked the path), must never make them show the
// model a file, a line or a name from outside.
import { rmSync, symlinkSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadChanges } from '../../src/review/changes.js';
import { attachMentions } from '../../src/modes/mentions.js';
import { diffCodeContext } from '../../src/review/diff-code-context.js';
import { readNewVersion } from '../../src/review/target.js';
import { findRipgrep } from '../../tools/grep/ripgrep.js';
import { createGrepTool } from '../../tools/grep.js';
import { createListFilesTool } from '../../tools/list-files.js';
import { createSymbolsTool } from '../../tools/symbols.js';
import type { ToolContext } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { swapForLink, toolOutcome } from '../fixtures/link-swap.js';
import { readOnlyContext } from '../tools/read-only-tool-context.js';

const SECRET = 'SECRET outside the repository';
const rg = await findRipgrep();

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((cleanup) => cleanup()),
);

/** A directory outside every repository, holding secrets under names the repository also uses. */
function outsideDir(): string {
  const outside = makeTempRepo(
    {
      'f.txt': `${SECRET}\n`,
      'SECRET-name.txt': 'x\n',
      'a.ts': `export function stolenSecret() {} // ${SECRET}\n`,
      'use.ts': `total(1); // ${SECRET}\n`,
    },
    { git: false },
  );
  cleanups.push(() => outside.remove());
  return outside.root;
}

function repoWith(files: Record<string, string>, options: { git?: boolean } = {}): TempRepo {
  const repo = makeTempRepo(files, options);
  cleanups.push(() => repo.remove());
  return repo;
}

async function context(root: string): Promise<ToolContext> {
  const cacheDir = path.join(os.tmpdir(), `gptoss-cache-${process.pid}-${cleanups.length}`);
  cleanups.push(() => rmSync(cacheDir, { recursive: true, force: true }));
  return { ...(await readOnlyContext(root)), cacheDir };
}

/** Both grep engines where this machine has them: ripgrep, and git grep (what users without ripgrep get). */
const engines = [
  ...(rg ? [{ name: 'ripgrep', locate: async () => rg }] : []),
  { name: 'git grep', locate: async () => undefined },
];

/** Every source list_files can take: git's index, ripgrep's walk, the plain walk. */
const listSources = [
  { name: 'git ls-files', git: true, locate: async () => rg },
  ...(rg ? [{ name: 'rg --files', git: false, locate: async () => rg }] : []),
  { name: 'plain walk', git: false, locate: async () => undefined },
];

describe('links out of the repository, already in the tree', () => {
  for (const engine of engines) {
    it(`grep (${engine.name}) neither follows a link while walking nor searches one named as its path`, async () => {
      const outside = outsideDir();
      const repo = makeTempRepo({ 'a.txt': 'inside\n' });
      cleanups.push(() => repo.remove());
      symlinkSync(outside, path.join(repo.root, 'out-link'));
      symlinkSync(path.join(outside, 'f.txt'), path.join(repo.root, 'file-link'));
      repo.commit('links');
      const grep = createGrepTool({ findRipgrep: engine.locate });
      const ctx = await context(repo.root);
      for (const target of ['.', 'out-link', 'file-link']) {
        const text = await toolOutcome(() => grep.execute({ pattern: 'SECRET', path: target }, ctx));
        expect(text).not.toContain(SECRET);
      }
    });
  }

  for (const source of listSources) {
    it(`list_files (${source.name}) lists no name from a directory a link leads to`, async () => {
      const outside = outsideDir();
      const repo = repoWith({ 'a.txt': 'inside\n' }, { git: source.git });
      symlinkSync(outside, path.join(repo.root, 'out-link'));
      if (source.git) repo.commit('link');
      const list = createListFilesTool({ findRipgrep: source.locate });
      const ctx = await context(repo.root);
      for (const target of ['.', 'out-link']) {
        const text = await toolOutcome(() => list.execute({ path: target }, ctx));
        expect(text).not.toContain('SECRET-name');
      }
    });
  }

  it('list_files does not list a tracked file whose directory is now a link out', async () => {
    const outside = outsideDir();
    const repo = repoWith({ 'd/inner/f.txt': 'inside\n', 'd/g.txt': 'inside\n' });
    swapForLink(path.join(repo.root, 'd/inner'), outside);
    const text = await toolOutcome(async () =>
      createListFilesTool({ findRipgrep: async () => rg }).execute({ path: 'd' }, await context(repo.root)),
    );
    expect(text).toContain('d/g.txt');
    expect(text).not.toContain('d/inner/f.txt');
  });

  for (const engine of engines) {
    it(`symbols (${engine.name}) never indexes, outlines or quotes a file behind a directory swapped for a link`, async () => {
      const outside = outsideDir();
      // git's index still lists lib/a.ts; the working tree's lib now leads outside.
      const repo = repoWith({ 'lib/a.ts': 'export function insideOnly() {}\n', 'b.ts': 'stolenSecret();\n' });
      swapForLink(path.join(repo.root, 'lib'), outside);
      const symbols = createSymbolsTool({ findRipgrep: engine.locate });
      const ctx = await context(repo.root);
      const calls = [
        { name: 'stolenSecret' },
        { name: 'stolenSecret', references: true },
        { file: 'lib/a.ts' },
        { name: 'stolenSecret', file: 'lib' },
      ];
      for (const args of calls) {
        const text = await toolOutcome(() => symbols.execute(args, ctx));
        expect(text).not.toContain('SECRET');
        expect(text).not.toMatch(/function stolenSecret/);
      }
    });
  }

  it("the review's working-tree version of a file replaced by a link to a secret is not the secret", async () => {
    const outside = outsideDir();
    const repo = repoWith({ 'notes.txt': 'inside\n' });
    unlinkSync(path.join(repo.root, 'notes.txt'));
    symlinkSync(path.join(outside, 'f.txt'), path.join(repo.root, 'notes.txt'));
    const { files } = await loadChanges(repo.root, { kind: 'unstaged' }, new AbortController().signal);
    expect(files.some((file) => file.path === 'notes.txt')).toBe(true);
    for (const file of files) expect((file.newLines ?? []).join('\n')).not.toContain('SECRET');
  });

  it("the review's callers of a changed function are never read through a directory swapped for a link", async () => {
    const outside = outsideDir();
    const before = 'export function total(n: number) {\n  return n;\n}\n';
    const repo = repoWith({ 'src/math.ts': before, 'd/inner/use.ts': 'total(2);\n', 'src/use.ts': 'total(3);\n' });
    repo.write('src/math.ts', before.replace('return n;', 'return n + 1;'));
    swapForLink(path.join(repo.root, 'd/inner'), outside);
    const signal = new AbortController().signal;
    const { files } = await loadChanges(repo.root, { kind: 'unstaged' }, signal);
    const symbols = await diffCodeContext(repo.root, { kind: 'unstaged' }).changedSymbols(files, signal);
    const callers = symbols.flatMap((symbol) => symbol.callers);
    expect(callers.map((caller) => `${caller.file}:${caller.line}`)).toContain('src/use.ts:1');
    expect(JSON.stringify(callers)).not.toContain('SECRET');
  });
});

describe('a directory or file swapped for a link after the guard checked the path', () => {
  for (const engine of engines) {
    it(`grep (${engine.name}) searches the directory that was checked, never the link`, async () => {
      const outside = outsideDir();
      const repo = repoWith({ 'd/f.txt': 'inside\n' });
      const dir = path.join(repo.root, 'd');
      const grep = createGrepTool({
        findRipgrep: engine.locate,
        seams: { checked: async () => swapForLink(dir, outside) },
      });
      const text = await toolOutcome(async () =>
        grep.execute({ pattern: 'SECRET|inside', path: 'd' }, await context(repo.root)),
      );
      expect(text).not.toContain('SECRET');
    });

    it(`grep (${engine.name}) shows nothing of a file swapped for a link to a secret`, async () => {
      const outside = outsideDir();
      const repo = repoWith({ 'd/f.txt': 'inside\n' });
      const file = path.join(repo.root, 'd/f.txt');
      const grep = createGrepTool({
        findRipgrep: engine.locate,
        seams: {
          checked: async () => {
            unlinkSync(file);
            symlinkSync(path.join(outside, 'f.txt'), file);
          },
        },
      });
      const text = await toolOutcome(async () =>
        grep.execute({ pattern: 'SECRET', path: 'd/f.txt' }, await context(repo.root)),
      );
      expect(text).not.toContain(SECRET);
    });
  }

  for (const source of listSources) {
    it(`list_files (${source.name}) lists the directory that was checked, never the link`, async () => {
      const outside = outsideDir();
      const repo = repoWith({ 'd/f.txt': 'inside\n' }, { git: source.git });
      const dir = path.join(repo.root, 'd');
      const list = createListFilesTool({
        findRipgrep: source.locate,
        seams: { checked: async () => swapForLink(dir, outside) },
      });
      const text = await toolOutcome(async () => list.execute({ path: 'd' }, await context(repo.root)));
      expect(text).not.toContain('SECRET-name');
    });
  }

  it("the review's read of the working-tree version refuses a directory swapped for a link", async () => {
    const outside = outsideDir();
    const repo = repoWith({ 'd/f.txt': 'inside\n' });
    swapForLink(path.join(repo.root, 'd'), outside);
    const read = readNewVersion(repo.root, { kind: 'unstaged' }, 'd/f.txt', {
      signal: new AbortController().signal,
      maxBytes: 1024,
    });
    const text = await read.then(
      (version) => version.text,
      (error: Error) => error.message,
    );
    expect(text).not.toContain('SECRET');
  });
  it('an @path attachment, of a file or a directory, is refused when a link was swapped in on its path', async () => {
    const outside = outsideDir();
    const repo = repoWith({ 'd/f.txt': 'inside\n', 'e/f.txt': 'inside\n' });
    const workspace = await Workspace.open(repo.root);
    for (const mention of ['d/f.txt', 'e']) {
      const dir = path.join(repo.root, mention.split('/')[0]!);
      const result = await attachMentions(workspace, `look at @${mention}`, {
        checked: async () => swapForLink(dir, outside),
      });
      expect(result.prompt).not.toContain('SECRET');
      expect(result.attached).toEqual([]);
      expect(result.refused.join('\n')).toMatch(/was replaced while it was being read.*nothing was attached/);
    }
  });
});
