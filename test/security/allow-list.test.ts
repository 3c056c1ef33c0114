// Commands that look read-only but write a file, run a program or never end
// must ask, in the real sandbox, on a real repository: the user is asked, and
// when they say no, nothing happened. A control run shows each attack works
// when the user does say yes, so the refusals are not vacuous.
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalGate } from '../../src/agent/approval-gate.js';
import type { Approver } from '../../src/agent/approvals.js';
import { probeSandbox } from '../../tools/sandbox/probe.js';
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import { shellTool } from '../../tools/shell.js';
import type { ApprovalRequest, ToolResult } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const S_TXT = 'pear\napple\n';
// More than sort's 100K buffer, so sort spills to temporary files and compresses them.
const BIG_TXT = Array.from({ length: 20_000 }, (_, i) => `line ${(i * 7919) % 20_000}\n`).join('');
// Leaves a marker wherever it runs, then compresses as cat would (sort also calls it with -d).
const EVIL_SH = '#!/bin/sh\necho ran > "$(dirname "$0")/evil-ran"\nexec cat\n';

interface Escape {
  name: string;
  command: string;
  /** What the command does when it runs, seen from outside. */
  happened: (repo: TempRepo) => boolean;
}

const ESCAPES: Escape[] = [
  {
    name: 'git grep --open (a prefix of --open-files-in-pager) runs a shell',
    command: `git grep '--open=sh -c "id > x" x' hello`,
    happened: (repo) => existsSync(path.join(repo.root, 'x')),
  },
  {
    name: 'git grep -iO<cmd> runs the command as a pager',
    command: `git grep '-iOsh -c "id > y" y' hello`,
    happened: (repo) => existsSync(path.join(repo.root, 'y')),
  },
  {
    name: 'sort --compress-prog runs a script on temporaries under --temporary-d',
    command: 'sort --compress-prog=./evil.sh -S 100K --temporary-d=. big.txt',
    happened: (repo) => existsSync(path.join(repo.root, 'evil-ran')),
  },
  {
    name: 'sort --outp overwrites a tracked file',
    command: 'sort --outp=a.txt s.txt',
    happened: (repo) => readFileSync(path.join(repo.root, 'a.txt'), 'utf8') !== 'tracked\n',
  },
  {
    name: 'sort -ruo<file> in a cluster overwrites a tracked file',
    command: 'sort -ruoa.txt s.txt',
    happened: (repo) => readFileSync(path.join(repo.root, 'a.txt'), 'utf8') !== 'tracked\n',
  },
];

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function makeRepo(): TempRepo {
  const repo = makeTempRepo({
    'a.txt': 'tracked\n',
    's.txt': S_TXT,
    'big.txt': BIG_TXT,
    'hello.txt': 'hello\n',
    'evil.sh': EVIL_SH,
  });
  chmodSync(path.join(repo.root, 'evil.sh'), 0o755);
  repo.commit('executable script');
  repos.push(repo);
  return repo;
}

/** Runs the shell tool as the agent does in suggest mode: the policy first, then the approver. */
async function runShell(repo: TempRepo, command: string, approve: boolean) {
  const asked: ApprovalRequest[] = [];
  const approver: Approver = async (request) => {
    asked.push(request);
    return { approved: approve };
  };
  const gate = createApprovalGate({ mode: () => 'suggest', rules: [], approver, emit: () => {} });
  const signal = new AbortController().signal;
  const result: ToolResult = await shellTool.execute(
    { command },
    {
      workspace: await Workspace.open(repo.root),
      signal,
      // A safety net only: every command here ends in well under a second.
      sandbox: new Sandbox({ enabled: true, env: process.env, shellTimeoutMs: 10_000 }),
      ask: (request) => gate('call', request, signal),
    },
  );
  return { asked, result };
}

describe.runIf(process.platform === 'linux')('the read-only allow list', () => {
  beforeAll(async () => {
    const probe = await probeSandbox();
    if (!probe.available) throw new Error(`these tests need bubblewrap: ${probe.reason} ${probe.fix}`);
  });

  it.each(ESCAPES)('$name: the user is asked, and nothing happens when they say no', async ({ command, happened }) => {
    const repo = makeRepo();
    const { asked, result } = await runShell(repo, command, false);
    expect(asked.map((request) => request.command)).toEqual([command]);
    expect(result.output).toMatch(/^The user rejected this command/);
    expect(happened(repo)).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it.each(ESCAPES)('control, $name: it happens once the user approves', async ({ command, happened }) => {
    const repo = makeRepo();
    await runShell(repo, command, true);
    expect(happened(repo)).toBe(true);
  });

  it('asks before tail --follo, which would never end (denied, so it never runs)', async () => {
    const repo = makeRepo();
    const { asked, result } = await runShell(repo, 'tail --follo s.txt', false);
    expect(asked.map((request) => request.command)).toEqual(['tail --follo s.txt']);
    expect(result.output).toMatch(/^The user rejected this command/);
  });

  it('still runs the common read-only forms without asking', async () => {
    const repo = makeRepo();
    for (const command of ['git status', 'git log --oneline -5', 'sort -u s.txt', 'tail -n 1 s.txt']) {
      const { asked, result } = await runShell(repo, command, false);
      expect(asked, command).toEqual([]);
      expect(result.output, command).toMatch(/^Exit code 0/);
    }
  });
});
