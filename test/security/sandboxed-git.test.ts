// A read-only git command that runs in the sandbox without the user's yes
// (git status, git diff, git log -p) must not start a program the repository's
// config names: inside the sandbox it could still write the work tree. The
// same commands approved by the user run the repository's config as it is.
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApprovalGate } from '../../src/agent/approval-gate.js';
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import { probeSandbox } from '../../tools/sandbox/probe.js';
import { shellTool, type ShellData } from '../../tools/shell.js';
import type { ToolContext } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const sandboxAvailable = (await probeSandbox({ env: process.env })).available;

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

/** Each planted program writes "ran-<name>" into the repository's own marks/ directory. */
function plantedRepo(): TempRepo {
  const r = makeTempRepo({ 'a.txt': 'one\n', 'marks/.keep': '' });
  repos.push(r);
  const script = (name: string): string => {
    const file = path.join(r.root, '.evil', name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `#!/bin/sh\necho "$*" >> '${r.root}/marks/ran-${name}'\ncat\n`);
    chmodSync(file, 0o755);
    return file;
  };
  r.write('.git/info/attributes', '*.txt diff=evil filter=evil\n');
  r.git('config', 'core.fsmonitor', script('fsmonitor'));
  r.git('config', 'diff.evil.textconv', script('textconv'));
  r.git('config', 'diff.external', script('external'));
  r.git('config', 'filter.evil.clean', script('clean'));
  r.git('config', 'filter.evil.smudge', script('smudge'));
  r.git('config', 'filter.evil.required', 'true');
  r.git('config', 'core.pager', script('pager'));
  r.git('config', 'pager.log', script('pager-log'));
  r.git('config', 'core.hooksPath', '.evil/hooks');
  script('hooks/post-index-change');
  r.write('a.txt', 'one\ntwo\n');
  return r;
}

function marks(r: TempRepo): string[] {
  return readdirSync(path.join(r.root, 'marks')).filter((name) => name !== '.keep');
}

/** The shell tool behind the approval gate in suggest mode; the user, if asked, says `answer`. */
async function shell(r: TempRepo, command: string, answer: boolean) {
  const gate = createApprovalGate({
    mode: () => 'suggest',
    rules: [],
    approver: async () => ({ approved: answer }),
    emit: () => {},
  });
  const ctx: ToolContext = {
    workspace: await Workspace.open(r.root),
    signal: new AbortController().signal,
    sandbox: new Sandbox({ enabled: true, env: process.env }),
    ask: (request) => gate('1', request, new AbortController().signal),
  };
  return shellTool.execute({ command }, ctx);
}

const COMMANDS = ['git status', 'git diff', 'git diff HEAD', 'git log -p', 'git show', 'git blame a.txt'];

describe.skipIf(!sandboxAvailable)('read-only git in the sandbox without asking', () => {
  it.each(COMMANDS)('%s runs nothing the repository planted', async (command) => {
    const r = plantedRepo();
    // Nobody is asked: the user's answer (no) is never consulted.
    const result = await shell(r, command, false);
    expect((result.data as ShellData).sandboxed).toBe(true);
    expect(marks(r)).toEqual([]);
    expect(result.output).not.toMatch(/not allowed|rejected/);
  });

  it('what git status and git log -p say is still right', async () => {
    const r = plantedRepo();
    expect((await shell(r, 'git status --short', false)).output).toMatch(/^ M a\.txt$/m);
    expect((await shell(r, 'git log -p --no-textconv', false)).output).toContain('+one');
    const diff = await shell(r, 'git diff', false);
    expect(diff.output).toContain('Add --no-ext-diff --no-textconv, or use the git tool.');
    expect((await shell(r, 'git diff --no-ext-diff --no-textconv', false)).output).toContain('+two');
    expect(marks(r)).toEqual([]);
  });

  it('the same commands, approved by the user, run with the repository config (the plants are live)', async () => {
    const r = plantedRepo();
    // Not read-only in the policy's eyes, so the user is asked and says yes.
    await shell(r, 'git status; git diff; git log -p', true);
    expect(marks(r)).toEqual(expect.arrayContaining(['ran-fsmonitor', 'ran-clean']));
  });
});
