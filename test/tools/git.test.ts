// The git tool against real temporary repositories: each read action, the
// commit that asks first and stages nothing before it is approved, and the
// mistakes the model can make.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { afterEach, describe, expect, it } from 'vitest';
import { createApprovalGate } from '../../src/agent/approval-gate.js';
import type { ApprovalMode, Approver } from '../../src/agent/approvals.js';
import { gitTool, type GitArgs } from '../../tools/git.js';
import { runGit } from '../../tools/git/run-git.js';
import type { ApprovalOutcome, ApprovalRequest, ToolContext, ToolResult } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function repo(files: Record<string, string | Buffer> = {}, options: { git?: boolean } = {}): TempRepo {
  const made = makeTempRepo(files, options);
  if (options.git !== false) {
    made.git('config', 'user.name', 'Test');
    made.git('config', 'user.email', 't@example.com');
  }
  repos.push(made);
  return made;
}

interface Harness {
  ctx: ToolContext;
  requests: ApprovalRequest[];
  run(args: GitArgs): Promise<ToolResult>;
}

async function harness(root: string, answer: ApprovalOutcome = { approved: true }): Promise<Harness> {
  const requests: ApprovalRequest[] = [];
  const ctx: ToolContext = {
    workspace: await Workspace.open(root),
    signal: new AbortController().signal,
    ask: async (request) => {
      requests.push(request);
      return answer;
    },
  };
  return { ctx, requests, run: (args) => gitTool.execute(args, ctx) };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the call to fail');
}

describe('git tool: reading', () => {
  it('status lists staged, unstaged and untracked files, and says when the tree is clean', async () => {
    const r = repo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const h = await harness(r.root);
    expect((await h.run({ action: 'status' })).output).toMatch(
      /## main\nNothing to commit: the working tree is clean\./,
    );
    r.write('a.txt', 'changed\n');
    r.write('b.txt', 'staged\n');
    r.git('add', 'b.txt');
    r.write('new.txt', 'new\n');
    const result = await h.run({ action: 'status' });
    expect(result.output).toContain(' M a.txt');
    expect(result.output).toContain('M  b.txt');
    expect(result.output).toContain('?? new.txt');
    expect(result.summary).toBe('3 changes');
  });

  it('diff shows unstaged changes, staged ones on request, one path, or against a ref', async () => {
    const r = repo({ 'a.txt': 'one\n', 'b.txt': 'bee\n' });
    r.write('a.txt', 'two\n');
    r.write('b.txt', 'bee staged\n');
    r.git('add', 'b.txt');
    const h = await harness(r.root);
    const unstaged = (await h.run({ action: 'diff' })).output;
    expect(unstaged).toContain('+two');
    expect(unstaged).not.toContain('bee staged');
    const staged = (await h.run({ action: 'diff', staged: true })).output;
    expect(staged).toContain('+bee staged');
    expect(staged).not.toContain('+two');
    expect((await h.run({ action: 'diff', ref: 'HEAD', path: 'b.txt' })).output).toMatch(/-bee\n\+bee staged/);
    r.commit('second');
    expect((await h.run({ action: 'diff' })).output).toBe(
      'No unstaged changes (staged changes are shown with staged: true).',
    );
    expect((await h.run({ action: 'diff', ref: 'HEAD~1', path: 'a.txt' })).output).toContain('+two');
  });

  it('log lists recent commits, for a range or a path, and counts them', async () => {
    const r = repo({ 'a.txt': '1\n' });
    r.write('a.txt', '2\n');
    r.commit('touch a');
    r.write('b.txt', 'b\n');
    r.commit('add b');
    const h = await harness(r.root);
    const all = await h.run({ action: 'log' });
    expect(all.output.split('\n')).toHaveLength(3);
    expect(all.output.split('\n')[0]).toMatch(/^[0-9a-f]{7,} \d{4}-\d\d-\d\d Test: add b$/);
    expect((await h.run({ action: 'log', path: 'a.txt' })).output).not.toContain('add b');
    expect((await h.run({ action: 'log', ref: 'HEAD~1..HEAD' })).output.split('\n')).toHaveLength(1);
    const one = await h.run({ action: 'log', count: 1 });
    expect(one.output).toMatch(/add b\n\[The 1 most recent; raise count or give a range to see others\.\]/);
  });

  it('log in a repository without commits says it is empty', async () => {
    const r = repo({}, {});
    const h = await harness(r.root);
    expect((await h.run({ action: 'log' })).output).toBe('No commits yet: this repository is empty.');
  });

  it('show gives a commit with its patch, or a file as it was at a ref, numbered', async () => {
    const r = repo({ 'a.txt': 'first\nsecond\n' });
    r.write('a.txt', 'first\nchanged\n');
    r.commit('change a');
    const h = await harness(r.root);
    const commit = (await h.run({ action: 'show', ref: 'HEAD' })).output;
    expect(commit).toContain('change a');
    expect(commit).toContain('+changed');
    expect((await h.run({ action: 'show', ref: 'HEAD~1', path: 'a.txt' })).output).toBe('1\tfirst\n2\tsecond');
    expect(await failure(h.run({ action: 'show' }))).toBe('git show needs ref, e.g. ref "HEAD~1".');
  });

  it('blame gives who last changed each line of a range', async () => {
    const r = repo({ 'a.txt': 'one\ntwo\nthree\n' });
    const h = await harness(r.root);
    const result = await h.run({ action: 'blame', path: 'a.txt', start_line: 2, end_line: 3 });
    const lines = result.output.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\^?[0-9a-f]+ \(Test \d{4}-\d\d-\d\d 2\) two$/);
  });

  it('turns the mistakes the model can make into errors it can act on', async () => {
    const r = repo({ 'a.txt': 'a\n' });
    const h = await harness(r.root);
    expect(await failure(h.run({ action: 'diff', ref: '--output=/tmp/x' }))).toMatch(/is not a revision/);
    expect(await failure(h.run({ action: 'diff', ref: 'no-such-branch' }))).toMatch(
      /git diff failed: .*no-such-branch/,
    );
    expect(await failure(h.run({ action: 'blame', path: '../outside.txt' }))).toMatch(/outside the repository/);
    expect(await failure(h.run({ action: 'show', ref: 'HEAD', path: '.git/config' }))).toMatch(/inside \.git/);
  });

  it('outside a git repository says so', async () => {
    const dir = repo({ 'a.txt': 'a\n' }, { git: false });
    const h = await harness(dir.root);
    expect(await failure(h.run({ action: 'status' }))).toMatch(/is not a git repository/);
  });

  it('cuts a huge output at the source, at a line boundary', async () => {
    const r = repo({ 'big.txt': '' });
    r.write('big.txt', Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n'));
    const out = await runGit(r.root, ['diff'], { maxBytes: 10_000 });
    expect(out.cut).toBe(true);
    expect(Buffer.byteLength(out.text)).toBeLessThanOrEqual(10_000);
    expect(out.text.endsWith('\n')).toBe(true);
    const h = await harness(r.root);
    expect((await h.run({ action: 'diff' })).output).toContain('+line 4999');
  });

  it('its definition fits its token budget', () => {
    const spec = {
      type: 'function',
      function: { name: gitTool.name, description: gitTool.description, parameters: gitTool.parameters },
    };
    // 206 since `action` says it is a string: harmony writes an enum's values only for a string.
    expect(encode(JSON.stringify(spec)).length).toBeLessThanOrEqual(206);
  });
});

describe('git tool: commit', () => {
  it('shows the message and the diff, stages nothing before the answer, then commits', async () => {
    const r = repo({ 'a.txt': 'a\n', 'old.txt': 'old\n' });
    r.write('a.txt', 'a changed\n');
    r.write('new.txt', 'new\n');
    let stagedWhileAsking = '';
    const requests: ApprovalRequest[] = [];
    const ctx: ToolContext = {
      workspace: await Workspace.open(r.root),
      signal: new AbortController().signal,
      ask: async (request) => {
        requests.push(request);
        stagedWhileAsking = r.git('diff', '--cached', '--name-only');
        return { approved: true };
      },
    };
    const result = await gitTool.execute(
      { action: 'commit', message: 'Change a, add new\n\nBody text.', paths: ['a.txt', 'new.txt'] },
      ctx,
    );
    expect(stagedWhileAsking).toBe('');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      tool: 'git',
      kind: 'edit',
      commit: { message: 'Change a, add new\n\nBody text.' },
      title: 'Commit "Change a, add new" (2 files, +2 -1)',
      files: [
        { path: 'a.txt', change: 'update', added: 1, removed: 1 },
        { path: 'new.txt', change: 'add', added: 1, removed: 0 },
      ],
    });
    expect(requests[0]!.diff).toContain('+a changed');
    expect(result.output).toMatch(/^Committed [0-9a-f]+ "Change a, add new": 2 files, \+2 -1\.$/);
    expect(r.git('log', '-1', '--format=%B').trim()).toBe('Change a, add new\n\nBody text.');
    expect(r.git('status', '--short').trim()).toBe('');
  });

  it('sees a same-size change made in the second the index was written (git\'s "racy" entries)', async () => {
    const r = repo({ 'a.txt': 'a\n' });
    r.write('a.txt', 'b\n');
    // The preview index must be judged as of the real index's time, not when it was copied.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const h = await harness(r.root);
    await h.run({ action: 'commit', message: 'Change a', paths: ['a.txt'] });
    expect(h.requests[0]!.files).toEqual([{ path: 'a.txt', change: 'update', added: 1, removed: 1 }]);
  });

  it('commits what is already staged, including deletions, when no paths are given', async () => {
    const r = repo({ 'a.txt': 'a\n', 'gone.txt': 'bye\n' });
    r.git('rm', '-q', 'gone.txt');
    const h = await harness(r.root);
    await h.run({ action: 'commit', message: 'Remove gone.txt' });
    expect(h.requests[0]!.files).toEqual([{ path: 'gone.txt', change: 'delete', added: 0, removed: 1 }]);
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('Remove gone.txt');
  });

  it('makes the first commit of an empty repository', async () => {
    const r = repo();
    r.write('first.txt', 'hello\n');
    const h = await harness(r.root);
    await h.run({ action: 'commit', message: 'First', paths: ['first.txt'] });
    expect(r.git('log', '--format=%s').trim()).toBe('First');
  });

  it('when the user says no, commits and stages nothing and passes on their reason', async () => {
    const r = repo({ 'a.txt': 'a\n' });
    r.write('a.txt', 'b\n');
    const h = await harness(r.root, { approved: false, by: 'user', feedback: 'split it in two' });
    const result = await h.run({ action: 'commit', message: 'Change', paths: ['a.txt'] });
    expect(result.isError).toBe(true);
    expect(result.output).toBe('The user rejected this commit. Their feedback: split it in two');
    expect(r.git('rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(r.git('diff', '--cached', '--name-only')).toBe('');
  });

  it('never runs a pre-commit hook, and says so in the prompt and the result', async () => {
    const r = repo({ 'a.txt': 'a\n' });
    r.write('a.txt', 'b\n');
    writeFileSync(path.join(r.root, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const h = await harness(r.root);
    const result = await h.run({ action: 'commit', message: 'Change', paths: ['a.txt'] });
    expect(h.requests[0]!.warning).toBe(
      "The repository's pre-commit hook will not run (hooks never run outside the sandbox)",
    );
    expect(result.output).toMatch(
      /^Committed [0-9a-f]+ "Change": 1 file, \+1 -1\. The repository's pre-commit hook was not run\.$/,
    );
    expect(r.git('rev-list', '--count', 'HEAD').trim()).toBe('2');
  });

  it('says there is nothing to commit, and how to name files', async () => {
    const r = repo({ 'a.txt': 'a\n' });
    const h = await harness(r.root);
    expect(await failure(h.run({ action: 'commit', message: 'x' }))).toMatch(/nothing is staged\. Give the files/);
    expect(await failure(h.run({ action: 'commit', message: 'x', paths: ['a.txt'] }))).toMatch(/a\.txt has no changes/);
    expect(await failure(h.run({ action: 'commit' }))).toMatch(/git commit needs message/);
    expect(h.requests).toHaveLength(0);
  });

  it.each([
    ['suggest', true],
    ['auto-edit', true],
    ['full-auto', false],
  ] as const)('through the approval gate in %s mode: asks = %s', async (mode: ApprovalMode, asks) => {
    const r = repo({ 'a.txt': 'a\n' });
    r.write('a.txt', 'b\n');
    const asked: ApprovalRequest[] = [];
    const approver: Approver = async (request) => {
      asked.push(request);
      return { approved: true };
    };
    const gate = createApprovalGate({ mode: () => mode, rules: [], approver, emit: () => {} });
    const signal = new AbortController().signal;
    const ctx: ToolContext = {
      workspace: await Workspace.open(r.root),
      signal,
      ask: (request) => gate('call', request, signal),
    };
    await gitTool.execute({ action: 'commit', message: 'Change a', paths: ['a.txt'] }, ctx);
    expect(asked.length > 0).toBe(asks);
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('Change a');
  });
});
