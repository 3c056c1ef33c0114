import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../tools/tool.js';
import { terminalApprover } from '../../src/modes/terminal-approver.js';

/** Answers the approver's questions with `lines`, and returns what it decided and what it printed. */
async function ask(request: ApprovalRequest, lines: string[]) {
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  let shown = '';
  stderr.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  const io = { stdin, stderr, stdout: new PassThrough(), env: { NO_COLOR: '1' }, cwd: '/' };
  const answer = terminalApprover(io)(request, new AbortController().signal);
  for (const line of lines) {
    // One line per question: a line typed before its question is asked would go unread.
    await new Promise((resolve) => setImmediate(resolve));
    stdin.write(`${line}\n`);
  }
  return { answer: await answer, shown };
}

const command: ApprovalRequest = {
  tool: 'shell',
  kind: 'exec',
  title: 'Run npm test -- a.test.ts',
  command: 'npm test -- a.test.ts',
  sandboxed: true,
};

describe('approvals on a plain terminal', () => {
  it('offers to allow commands that start with the same two words, for the session or the project', async () => {
    const session = await ask(command, ['a']);
    expect(session.shown).toContain('[a]lways "npm test …" for this session / always for this [p]roject');
    expect(session.answer).toEqual({ approved: true, always: { kind: 'exec', prefix: 'npm test' } });
    const project = await ask(command, ['p']);
    expect(project.answer).toEqual({
      approved: true,
      always: { kind: 'exec', prefix: 'npm test' },
      saveForProject: true,
    });
  });

  it('offers an MCP tool for the session or the project, and shows its server, tool and arguments', async () => {
    const mcp: ApprovalRequest = {
      tool: 'mcp__files__write',
      kind: 'exec',
      title: 'MCP server files: write',
      command: 'write {"path": "a.txt"}',
      sandboxed: false,
      mcp: { server: 'files', tool: 'write', fromProject: false },
    };
    const { answer, shown } = await ask(mcp, ['p']);
    expect(shown).toContain('MCP server files: write');
    expect(shown).toContain('write {"path": "a.txt"}');
    expect(shown).toContain('[a]lways mcp__files__write for this session / always for this [p]roject');
    expect(answer).toEqual({
      approved: true,
      always: { kind: 'mcp', pattern: 'mcp__files__write' },
      saveForProject: true,
    });
  });

  it('offers edits for the session only, and asks again after an answer it does not know', async () => {
    const edit: ApprovalRequest = { tool: 'apply_patch', kind: 'edit', title: 'Edit a.ts', diff: '+x\n' };
    const { answer, shown } = await ask(edit, ['p', 'a']);
    expect(shown).toContain('[a]lways for this session: ');
    expect(shown).not.toContain('[p]roject');
    expect(answer).toEqual({ approved: true, always: { kind: 'edit' } });
  });

  it('takes a reason for the model with a refusal', async () => {
    const { answer } = await ask(command, ['n', 'run only the one file']);
    expect(answer).toEqual({ approved: false, feedback: 'run only the one file' });
  });
});
