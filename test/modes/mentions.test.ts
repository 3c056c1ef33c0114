// @path mentions against a real temporary repository: what is attached, what
// is refused (outside the repository, through a symbolic link, binary), and
// what is left alone.
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTACHED_CHARS, attachMentions, mentionsIn } from '../../src/modes/mentions.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

async function repoWith(files: Record<string, string | Buffer>) {
  const repo = makeTempRepo(files);
  repos.push(repo);
  return { repo, workspace: await Workspace.open(repo.root) };
}

describe('@path mentions', () => {
  it('finds the mentioned paths, without trailing punctuation, once each', () => {
    expect(mentionsIn('look at @src/a.ts, then @docs/ and @src/a.ts.')).toEqual(['src/a.ts', 'docs/']);
    expect(mentionsIn('mail me@example.com')).toEqual([]);
  });

  it("attaches a file's text and a directory's listing after the prompt, and says which", async () => {
    const { workspace } = await repoWith({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'b\n' });
    const result = await attachMentions(workspace, 'explain @src/a.ts in @src');
    expect(result.attached).toEqual(['src/a.ts', 'src/']);
    expect(result.refused).toEqual([]);
    expect(result.prompt).toBe(
      'explain @src/a.ts in @src\n\n' +
        '<attachment path="src/a.ts">\nexport const a = 1;\n\n</attachment>\n\n' +
        '<attachment path="src/">\na.ts\nb.ts\n</attachment>',
    );
  });

  it('leaves a word that names nothing alone (a decorator, a handle)', async () => {
    const { workspace } = await repoWith({ 'a.txt': 'a' });
    const result = await attachMentions(workspace, 'use @Component like @alice said');
    expect(result).toEqual({ prompt: 'use @Component like @alice said', attached: [], refused: [] });
  });

  it('refuses paths outside the repository, symbolic links out of it, and binary files', async () => {
    const outside = makeTempRepo({ 'secret.txt': 'the secret\n' });
    repos.push(outside);
    const { repo, workspace } = await repoWith({
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]),
    });
    symlinkSync(path.join(outside.root, 'secret.txt'), path.join(repo.root, 'link.txt'));
    const relative = path.relative(repo.root, path.join(outside.root, 'secret.txt'));
    const result = await attachMentions(
      workspace,
      `read @${relative} @${path.join(outside.root, 'secret.txt')} @link.txt @logo.png @/etc/passwd`,
    );
    expect(result.attached).toEqual([]);
    expect(result.prompt).not.toContain('the secret');
    expect(result.prompt).not.toContain('root:');
    expect(result.refused).toHaveLength(5);
    expect(result.refused[0]).toContain('is outside the repository');
    expect(result.refused[2]).toContain('symbolic link');
    expect(result.refused[3]).toContain('a binary file');
  });

  it('cuts a long file with a note saying how to read the rest', async () => {
    const { workspace } = await repoWith({ 'big.txt': 'x'.repeat(ATTACHED_CHARS * 10) });
    const result = await attachMentions(workspace, '@big.txt');
    expect(result.attached).toEqual(['big.txt (cut)']);
    expect(result.prompt).toContain(`[Cut: the first ${ATTACHED_CHARS} characters of ${ATTACHED_CHARS * 10} bytes`);
    expect(result.prompt.length).toBeLessThan(ATTACHED_CHARS + 500);
  });
});
