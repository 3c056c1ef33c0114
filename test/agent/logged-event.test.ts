// What the session log keeps of an event: each oversized part cut to the
// history's share of the window, saying so; everything else as it was.
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import { eventForLog } from '../../src/agent/logged-event.js';

const LIMIT = 1000; // tokens: about 3,500 characters
const huge = 'x'.repeat(200_000);

describe('eventForLog', () => {
  it('leaves events that fit as the same objects', () => {
    const events: AgentEvent[] = [
      { type: 'tool.call', id: 'c', name: 'read_file', arguments: { path: 'a.ts' }, summary: 'read a.ts' },
      { type: 'tool.result', id: 'c', name: 'read_file', ok: true, output: 'a', truncated: false, durationMs: 1 },
      { type: 'answer.delta', delta: huge },
    ];
    for (const event of events) expect(eventForLog(event, LIMIT)).toBe(event);
  });

  it('cuts a call’s long string arguments in place, and raw argument text as text', () => {
    const event: AgentEvent = {
      type: 'tool.call',
      id: 'c',
      name: 'apply_patch',
      arguments: { input: huge, note: 'short' },
      summary: 'patch',
    };
    const logged = eventForLog(event, LIMIT) as Extract<AgentEvent, { type: 'tool.call' }>;
    const args = logged.arguments as { input: string; note: string };
    expect(args.note).toBe('short');
    expect(args.input.length).toBeLessThan(5000);
    expect(args.input).toContain('the call ran with all of it');
    expect(logged.summary).toBe('patch');

    const raw = eventForLog({ ...event, arguments: `{"input": "${huge}` }, LIMIT) as typeof logged;
    expect(typeof raw.arguments).toBe('string');
    expect((raw.arguments as string).length).toBeLessThan(5000);
  });

  it('cuts a long output, marks it truncated, and drops oversized data but keeps small data', () => {
    const result: AgentEvent = {
      type: 'tool.result',
      id: 'c',
      name: 'shell',
      ok: true,
      output: huge,
      truncated: false,
      durationMs: 5,
      data: { diff: huge },
    };
    const logged = eventForLog(result, LIMIT) as Extract<AgentEvent, { type: 'tool.result' }>;
    expect(logged.output.length).toBeLessThan(5000);
    expect(logged.output).toContain('cut when it was kept in the conversation');
    expect(logged.truncated).toBe(true);
    expect(logged).not.toHaveProperty('data');
    const small = eventForLog({ ...result, data: { exitCode: 0 } }, LIMIT) as typeof logged;
    expect(small.data).toEqual({ exitCode: 0 });
  });

  it('cuts a compaction’s long summary, keeping its counts', () => {
    const event: AgentEvent = {
      type: 'context.compacted',
      trigger: 'auto',
      tokensBefore: 90_000,
      tokensAfter: 4_000,
      summary: huge,
    };
    const logged = eventForLog(event, LIMIT) as Extract<AgentEvent, { type: 'context.compacted' }>;
    expect(logged.summary.length).toBeLessThan(5000);
    expect(logged.summary).toContain('cut when it was kept in the conversation');
    expect(logged).toMatchObject({ trigger: 'auto', tokensBefore: 90_000, tokensAfter: 4_000 });
    const short = { ...event, summary: 'short' };
    expect(eventForLog(short, LIMIT)).toBe(short);
  });

  it('cuts an approval’s diff and command, leaving the rest of the request', () => {
    const event: AgentEvent = {
      type: 'approval.requested',
      id: 'c',
      request: { tool: 'apply_patch', kind: 'edit', title: 'Edit big.txt', diff: huge, command: huge },
    };
    const logged = eventForLog(event, LIMIT) as Extract<AgentEvent, { type: 'approval.requested' }>;
    expect(logged.request.title).toBe('Edit big.txt');
    expect(logged.request.diff!.length).toBeLessThan(5000);
    expect(logged.request.command!.length).toBeLessThan(5000);
  });
});
