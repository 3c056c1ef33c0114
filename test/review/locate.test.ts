// Every finding is checked against the staged diff of a real repository:
// mapped into the new version, kept when it points at the change (or is
// marked as context), rejected with a reason otherwise.
import { afterEach, describe, expect, it } from 'vitest';
import { splitLines } from '../../src/review/changes.js';
import type { ModelFinding } from '../../src/review/findings.js';
import { locateFindings } from '../../src/review/locate.js';
import { readNewVersion } from '../../src/review/target.js';
import { numberedText, stagedRepo, type StagedRepo } from './staged-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** 40 lines; the change replaces line 20 and adds one after it; old.ts is renamed with a change; gone.ts is deleted. */
async function change(): Promise<StagedRepo> {
  return stagedRepo(
    { 'a.ts': numberedText(40), 'old.ts': numberedText(10, 'old'), 'gone.ts': 'bye\n', 'other.ts': numberedText(5) },
    (r) => {
      r.write('a.ts', numberedText(40).replace('line 20\n', 'line 20 changed\nline 20b added\n'));
      r.git('mv', 'old.ts', 'new.ts');
      r.write('new.ts', numberedText(10, 'old').replace('old 5\n', 'old 5 changed\n'));
      r.git('rm', '-q', 'gone.ts');
    },
    cleanups,
  );
}

function finding(file: string, line: number, extra: Partial<ModelFinding> = {}): ModelFinding {
  return { file, line, severity: 'medium', category: 'bug', title: `at ${file}:${line}`, explanation: 'x', ...extra };
}

async function locate(staged: StagedRepo, findings: ModelFinding[]) {
  const signal = new AbortController().signal;
  return locateFindings(findings, {
    root: staged.repo.root,
    files: staged.files,
    lineCount: (file) =>
      readNewVersion(staged.repo.root, { kind: 'staged' }, file, { signal, maxBytes: 1 << 20 }).then(
        (v) => splitLines(v.text).length,
        () => undefined,
      ),
  });
}

describe('locateFindings', () => {
  it('keeps findings on changed lines or next to them, in new-version numbers', async () => {
    const staged = await change();
    const { findings, rejected } = await locate(staged, [
      finding('a.ts', 21),
      finding('a.ts', 18, { end_line: 19 }),
      finding('a.ts', 24),
    ]);
    expect(rejected).toEqual([]);
    expect(findings.map((f) => [f.line, f.endLine, f.location])).toEqual([
      [21, 21, 'changed'],
      [18, 19, 'changed'],
      [24, 24, 'changed'],
    ]);
  });

  it('rejects findings far from the change unless marked as context', async () => {
    const staged = await change();
    const { findings, rejected } = await locate(staged, [
      finding('a.ts', 35),
      finding('a.ts', 2, { context: true }),
      finding('other.ts', 3),
      finding('other.ts', 3, { context: true }),
    ]);
    expect(findings.map((f) => [f.file, f.line, f.location])).toEqual([
      ['a.ts', 2, 'context'],
      ['other.ts', 3, 'context'],
    ]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'lines 35-35 are outside the changed lines of a.ts and the finding is not marked as context',
      'other.ts is not part of this change and the finding is not marked as context',
    ]);
  });

  it('maps the old name of a renamed file, "b/" prefixes, "./" and absolute paths to the new path', async () => {
    const staged = await change();
    const { findings, rejected } = await locate(staged, [
      finding('old.ts', 5),
      finding('b/a.ts', 21),
      finding('./a.ts', 21),
      finding(`${staged.repo.root}/new.ts`, 5),
    ]);
    expect(rejected).toEqual([]);
    expect(findings.map((f) => f.file)).toEqual(['new.ts', 'a.ts', 'a.ts', 'new.ts']);
  });

  it('rejects lines past the end, deleted files, files that do not exist and paths outside the repository', async () => {
    const staged = await change();
    const { findings, rejected } = await locate(staged, [
      finding('a.ts', 99),
      finding('gone.ts', 1),
      finding('nowhere.ts', 1, { context: true }),
      finding('../outside.ts', 1, { context: true }),
      finding('/etc/passwd', 1, { context: true }),
    ]);
    expect(findings).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'line 99 is past the end of a.ts (41 lines)',
      'the file is deleted by this change; point at the code that still depends on it',
      'there is no file nowhere.ts in the reviewed version',
      '../outside.ts is outside the repository',
      '/etc/passwd is outside the repository',
    ]);
  });

  it('orders a reversed range and cuts an end past the last line', async () => {
    const staged = await change();
    const { findings } = await locate(staged, [
      finding('a.ts', 23, { end_line: 21 }),
      finding('a.ts', 21, { end_line: 500 }),
    ]);
    expect(findings.map((f) => [f.line, f.endLine])).toEqual([
      [21, 23],
      [21, 41],
    ]);
  });
});
