// exec's plain output: what reaches stdout (the final answer alone) and what
// goes to stderr (preambles, progress), for a pipe and for a terminal.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import { plainWriter } from '../../src/modes/exec-output.js';

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY });
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

function run(stdoutIsTTY: boolean, events: AgentEvent[]) {
  const stdout = capture(stdoutIsTTY);
  const stderr = capture(false);
  const write = plainWriter(
    { stdout: stdout.stream, stderr: stderr.stream, stdin: new PassThrough(), env: { NO_COLOR: '1' }, cwd: '/' },
    { showReasoning: false },
  );
  for (const event of events) write(event);
  return { stdout: stdout.text(), stderr: stderr.text() };
}

const usage = { promptTokens: 1, cachedPromptTokens: 0, outputTokens: 1 } as never;
const turn: AgentEvent[] = [
  { type: 'answer.delta', delta: 'I will read a.ts, ' },
  { type: 'answer.delta', delta: 'then fix the start index.' },
  { type: 'generation.completed', usage },
  { type: 'tool.call', id: '1', name: 'read_file', arguments: {}, summary: 'read a.ts' },
  { type: 'preamble.delta', delta: 'Patching it.' },
  { type: 'tool.call', id: '2', name: 'apply_patch', arguments: {}, summary: 'patch a.ts' },
  { type: 'answer.delta', delta: '## Fixed: off-by-one\n\nThe loop ' },
  { type: 'answer.delta', delta: 'starts at 0 now.' },
  { type: 'generation.completed', usage },
  { type: 'turn.completed', stopReason: 'answer', answer: '', usage } as AgentEvent,
];

describe('plainWriter', () => {
  it('gives a pipe the final answer alone, and the text before tool calls to stderr', () => {
    const { stdout, stderr } = run(false, turn);
    expect(stdout).toBe('## Fixed: off-by-one\n\nThe loop starts at 0 now.\n');
    expect(stderr).toBe('I will read a.ts, then fix the start index.\n› read a.ts\n› Patching it.\n› patch a.ts\n');
  });

  it('shows a terminal the text as it comes, never glued to the answer that follows', () => {
    const { stdout } = run(true, turn);
    expect(stdout).toBe(
      'I will read a.ts, then fix the start index.\n\n## Fixed: off-by-one\n\nThe loop starts at 0 now.\n',
    );
  });
});
