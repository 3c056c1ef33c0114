// grep shows a match only when its lines are in the repository's file of that
// name, read again without following links: a line a search program read
// through a link (or from a file changed since) is left out.
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GrepMatch } from '../../../tools/grep/match.js';
import { verifyMatches } from '../../../tools/grep/verify-matches.js';
import { cutAround, cutLine } from '../../../tools/text/cut-line.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const MAX = 40;
const repos: TempRepo[] = [];
afterEach(() => repos.splice(0).forEach((repo) => repo.remove()));

function repoWith(files: Record<string, string>): TempRepo {
  const repo = makeTempRepo(files, { git: false });
  repos.push(repo);
  return repo;
}

function match(file: string, line: number, text: string, before: string[] = [], after: string[] = []): GrepMatch {
  return { file, line, text, before, after };
}

describe('verifyMatches', () => {
  it('keeps matches whose lines and context are in the file, CRLF and a last line without newline included', async () => {
    const repo = repoWith({ 'a.txt': 'one\r\ntwo\r\nthree', 'b.txt': 'x\ny\n' });
    const matches = [match('a.txt', 2, 'two', ['one'], ['three']), match('b.txt', 2, 'y')];
    expect(await verifyMatches(repo.root, matches, MAX)).toEqual({ kept: matches, dropped: 0 });
  });

  it('drops a match whose line differs from the file, or whose file is gone', async () => {
    const repo = repoWith({ 'a.txt': 'one\ntwo\n' });
    const result = await verifyMatches(
      repo.root,
      [match('a.txt', 1, 'one'), match('a.txt', 2, 'SECRET'), match('a.txt', 3, ''), match('gone.txt', 1, 'one')],
      MAX,
    );
    expect(result.kept.map((m) => m.line)).toEqual([1]);
    expect(result.dropped).toBe(3);
  });

  it('drops a match whose context line was not in the file', async () => {
    const repo = repoWith({ 'a.txt': 'one\ntwo\n' });
    const result = await verifyMatches(repo.root, [match('a.txt', 2, 'two', ['SECRET'])], MAX);
    expect(result).toEqual({ kept: [], dropped: 1 });
  });

  it('drops matches read through a link, to a directory or a file outside the repository', async () => {
    const outside = repoWith({ 'f.txt': 'SECRET\n' });
    const repo = repoWith({ 'in.txt': 'SECRET\n' });
    symlinkSync(outside.root, path.join(repo.root, 'dir-link'));
    symlinkSync(path.join(outside.root, 'f.txt'), path.join(repo.root, 'file-link'));
    const result = await verifyMatches(
      repo.root,
      [match('dir-link/f.txt', 1, 'SECRET'), match('file-link', 1, 'SECRET'), match('in.txt', 1, 'SECRET')],
      MAX,
    );
    expect(result.kept.map((m) => m.file)).toEqual(['in.txt']);
    expect(result.dropped).toBe(2);
  });

  it('accepts long lines as the collector cuts them, and a line past the first read chunk', async () => {
    const long = `${'a'.repeat(100)}needle${'b'.repeat(100)}`;
    const filler = `${'z'.repeat(999)}\n`.repeat(100);
    const repo = repoWith({ 'long.txt': `${long}\n${filler}${long}\n` });
    const at = long.indexOf('needle');
    const matches = [
      match('long.txt', 1, cutAround(long, at, at + 6, MAX)),
      match('long.txt', 102, cutLine(long, MAX)),
    ];
    expect(await verifyMatches(repo.root, matches, MAX)).toEqual({ kept: matches, dropped: 0 });
    writeFileSync(path.join(repo.root, 'long.txt'), `${'c'.repeat(300)}\n`);
    expect((await verifyMatches(repo.root, matches, MAX)).dropped).toBe(2);
  });
});
