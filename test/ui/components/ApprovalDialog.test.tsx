import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../src/agent/events.js';
import { ApprovalDialog } from '../../../src/ui/components/ApprovalDialog.js';
import type { ApprovalAnswer } from '../../../src/ui/session.js';
import { frameWith, KEY, plain, tick } from '../ink-helpers.js';

const edit: ApprovalRequest = {
  tool: 'apply_patch',
  kind: 'edit',
  title: 'Edit hello.txt',
  warning: 'touches test files',
};
const command: ApprovalRequest = {
  tool: 'shell',
  kind: 'exec',
  title: 'Run a command',
  command: 'rm -rf build && npm run build',
  sandboxed: false,
};

function dialog(request: ApprovalRequest, typing?: () => boolean) {
  const answers: ApprovalAnswer[] = [];
  const view = render(
    <ApprovalDialog
      request={request}
      alwaysLabel={request.kind === 'edit' ? 'edits' : 'commands starting with "rm -rf"'}
      onAnswer={(answer) => answers.push(answer)}
      {...(typing ? { typing } : {})}
    />,
  );
  return { ...view, answers };
}

describe('ApprovalDialog', () => {
  it('asks about an edit with its warning and the three answers', () => {
    const frame = plain(dialog(edit).lastFrame());
    expect(frame).toContain('Apply this change? Edit hello.txt');
    expect(frame).toContain('⚠ touches test files');
    expect(frame).toMatch(/y yes · n no, say why · a always allow edits this session/);
  });

  it('says that a command is not sandboxed, without repeating the command printed above it', () => {
    const frame = plain(dialog(command).lastFrame());
    expect(frame).toContain('Run this command? (NOT sandboxed)');
    expect(frame).not.toContain('rm -rf build');
  });

  it('offers no "always" when nothing could be allowed (a compound command)', async () => {
    const answers: ApprovalAnswer[] = [];
    const view = render(
      <ApprovalDialog request={command} alwaysLabel={undefined} onAnswer={(answer) => answers.push(answer)} />,
    );
    expect(plain(view.lastFrame())).not.toContain('always');
    expect(plain(view.lastFrame())).not.toContain('in this project');
    view.stdin.write('a');
    view.stdin.write('p');
    await tick();
    expect(answers).toEqual([]);
    view.stdin.write('y');
    await tick();
    expect(answers).toEqual([{ approved: true }]);
  });

  it('asks about an MCP tool call with its server, tool and arguments, and offers the project rule', async () => {
    const mcp: ApprovalRequest = {
      tool: 'mcp__files__write',
      kind: 'exec',
      title: 'MCP server files: write',
      command: 'write {\n  "path": "a.txt"\n}',
      sandboxed: false,
      mcp: { server: 'files', tool: 'write', fromProject: true },
    };
    const view = dialog(mcp);
    const frame = plain(view.lastFrame());
    // The call itself (tool and arguments) is the proposal printed above; the question names the server.
    expect(frame).toContain('Call this MCP tool? MCP server files: write (NOT sandboxed)');
    view.stdin.write('p');
    await tick();
    expect(view.answers).toEqual([{ approved: true, always: true, forProject: true }]);
  });

  it('answers yes with y and "always" with a', async () => {
    const yes = dialog(edit);
    yes.stdin.write('y');
    await tick();
    expect(yes.answers).toEqual([{ approved: true }]);
    const always = dialog(edit);
    always.stdin.write('a');
    await tick();
    expect(always.answers).toEqual([{ approved: true, always: true }]);
  });

  it('offers to keep a command rule for the project, but not an edit rule', async () => {
    const exec = dialog(command);
    const words = (frame: string | undefined) =>
      plain(frame)
        .replace(/[│╭╮╰╯─]/g, ' ')
        .replace(/\s+/g, ' ');
    expect(words(exec.lastFrame())).toContain('p and in this project from now on');
    exec.stdin.write('p');
    await tick();
    expect(exec.answers).toEqual([{ approved: true, always: true, forProject: true }]);
    const edits = dialog(edit);
    expect(words(edits.lastFrame())).not.toContain('in this project');
    edits.stdin.write('p');
    await tick();
    expect(edits.answers).toEqual([]);
  });

  it('on n asks why, and sends the words typed with the rejection', async () => {
    const view = dialog(edit);
    view.stdin.write('n');
    await frameWith(view.lastFrame, 'Tell the model why');
    view.stdin.write('use a friendlier greeting');
    await frameWith(view.lastFrame, 'use a friendlier greeting');
    expect(view.answers).toEqual([]);
    view.stdin.write(KEY.enter);
    await tick();
    expect(view.answers).toEqual([{ approved: false, feedback: 'use a friendlier greeting' }]);
  });

  it('takes words and Enter that arrive together', async () => {
    const view = dialog(edit);
    view.stdin.write('n');
    await frameWith(view.lastFrame, 'Tell the model why');
    view.stdin.write('not this file\r');
    await tick();
    expect(view.answers).toEqual([{ approved: false, feedback: 'not this file' }]);
  });

  it('rejects without words when Enter comes straight after n', async () => {
    const view = dialog(edit);
    view.stdin.write('n');
    await frameWith(view.lastFrame, 'Tell the model why');
    view.stdin.write(KEY.enter);
    await tick();
    expect(view.answers).toEqual([{ approved: false }]);
  });

  it('ignores a y typed while the user is still typing something else', async () => {
    let typing = true;
    const view = dialog(edit, () => typing);
    view.stdin.write('y');
    await tick();
    expect(view.answers).toEqual([]);
    typing = false;
    view.stdin.write('y');
    await tick();
    expect(view.answers).toEqual([{ approved: true }]);
  });

  it('takes n, words and Enter sent in one burst, in one chunk or one by one before a render', async () => {
    const chunk = dialog(edit);
    chunk.stdin.write('nwrong file\r');
    await tick();
    expect(chunk.answers).toEqual([{ approved: false, feedback: 'wrong file' }]);
    const keys = dialog(edit);
    for (const key of ['n', 'w', 'h', 'y', KEY.enter]) keys.stdin.write(key);
    await tick();
    expect(keys.answers).toEqual([{ approved: false, feedback: 'why' }]);
  });

  it('answers once: keys after the answer in the same burst are not answers', async () => {
    const view = dialog(command);
    view.stdin.write('y');
    view.stdin.write('n');
    view.stdin.write('a');
    await tick();
    expect(view.answers).toEqual([{ approved: true }]);
  });
});
