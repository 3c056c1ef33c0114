import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/events.js';
import { Agent } from '../../src/agent/loop.js';
import { Session } from '../../src/agent/session.js';
import { findSession, listSessions, sessionPaths, SessionError } from '../../src/agent/session-store.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { loadTurns, ScriptedBackend, type ScriptedStep } from '../fixtures/scripted-backend.js';
import { RUN, sessionHarness, type SessionHarness } from './session-harness.js';

const harnesses: SessionHarness[] = [];
afterEach(() => {
  for (const harness of harnesses.splice(0)) harness.cleanup();
});

async function setUp() {
  const harness = await sessionHarness({ 'hello.txt': 'hello world\n' });
  harnesses.push(harness);
  return harness;
}

function agentFor(h: SessionHarness, session: Session, steps: ScriptedStep[], contextSize?: number) {
  const backend = new ScriptedBackend(steps);
  const agent = new Agent({
    ...(contextSize ? { context: { contextSize } } : {}),
    ...session.hooks(),
    backend,
    tools: new ToolRegistry(defaultTools()),
    workspace: h.workspace,
    instructions: RUN.instructions,
    approvalMode: 'auto-edit',
    approver: async () => ({ approved: true }),
  });
  session.attach(agent);
  return { agent, backend };
}

/** What makes a session worth keeping: the model answered in it. */
function answered(session: Session, text = 'Done.') {
  session.hooks().onHistoryChange({ op: 'append', message: { role: 'assistant', content: text } });
}

function logLines(session: Session): unknown[] {
  return readFileSync(session.file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
}

describe('sessions', () => {
  it('writes the conversation as it happens and a resumed session continues the same thread', async () => {
    const h = await setUp();
    const { agent } = agentFor(h, h.session, [...loadTurns('read-then-answer'), ...loadTurns('patch-rejected')]);
    await agent.runTurn('What does hello.txt say?');
    await agent.runTurn('Change the greeting');
    const history = structuredClone(agent.history);

    const resumed = await h.reopen();
    expect(resumed.resumed).toBe(true);
    expect(resumed.messages()).toEqual(history);
    expect(resumed.undoable()).toHaveLength(1);

    const { agent: next, backend } = agentFor(h, resumed, [{ answer: 'Still here.' }]);
    await next.runTurn('Are you there?');
    // The model gets the whole earlier conversation, then the new prompt.
    const sent = backend.requests[0]!.messages;
    expect(sent.slice(0, history.length).map((m) => m.role)).toEqual(history.map((m) => m.role));
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'Are you there?' });
    expect(sent[0]).toEqual({ role: 'user', content: 'What does hello.txt say?' });
    // Turn numbers go on from where the session stopped.
    expect(h.events.filter((e) => e.type === 'turn.started').at(-1)).toMatchObject({ turn: 3 });
  });

  it('is readable by its owner only', async () => {
    const h = await setUp();
    await h.apply([{ type: 'add', path: 'secret.txt', content: 'token\n' }]);
    expect(statSync(path.dirname(h.session.file)).mode & 0o777).toBe(0o700);
    expect(statSync(h.session.file).mode & 0o777).toBe(0o600);
    const blobs = path.join(path.dirname(h.session.file), 'blobs');
    expect(statSync(blobs).mode & 0o777).toBe(0o700);
    for (const blob of readdirSync(blobs)) expect(statSync(path.join(blobs, blob)).mode & 0o777).toBe(0o600);
  });

  it('keeps events worth keeping, and what the model streamed as one record per part, not per delta', async () => {
    const h = await setUp();
    const { agent } = agentFor(h, h.session, loadTurns('read-then-answer'));
    await agent.runTurn('What does hello.txt say?');
    const types = logLines(h.session).map((r) => {
      const record = r as { type: string; kind?: string; event?: { type: string } };
      return record.event ? `event:${record.event.type}` : record.kind ? `${record.type}:${record.kind}` : record.type;
    });
    expect(types[0]).toBe('session');
    expect(types.filter((t) => t !== 'history')).toEqual([
      'session',
      'event:turn.started',
      'stream:reasoning',
      'stream:preamble',
      'event:generation.completed',
      'event:context.usage',
      'event:tool.call',
      'event:tool.result',
      'stream:reasoning',
      'stream:answer',
      'event:generation.completed',
      'event:context.usage',
      'event:turn.completed',
    ]);
    // A resumed session hands the recorded events back, with their times, e.g. to redraw the transcript.
    const resumed = await h.reopen();
    const events = resumed.events.map(({ event }) => event);
    expect(events.map((e) => e.type)).toContain('tool.result');
    expect(events.filter((e) => e.type === 'reasoning.delta')).toEqual([
      { type: 'reasoning.delta', delta: 'The user wants to know what hello.txt says. I should read it.' },
      { type: 'reasoning.delta', delta: 'It says hello world.' },
    ]);
    expect(events.find((e) => e.type === 'answer.delta')).toEqual({
      type: 'answer.delta',
      delta: 'hello.txt says **hello world**.',
    });
    const times = resumed.events.map(({ at }) => at);
    expect(times.every((at, i) => Number.isFinite(at) && (i === 0 || at >= times[i - 1]!))).toBe(true);
  });

  it('keeps a huge call in the log only as far as the history does, and a resumed session shows and sends that', async () => {
    const h = await setUp();
    // A 16,384-token window: each message keeps about 8,192 tokens (some 29,000 characters).
    const contextSize = 16_384;
    const line = `${'y'.repeat(99)}\n`;
    const patch = `*** Begin Patch\n*** Add File: big.txt\n${`+${line}`.repeat(2000)}*** End Patch`;
    const { agent } = agentFor(
      h,
      h.session,
      [{ toolCalls: [{ name: 'apply_patch', arguments: { input: patch } }] }, { answer: 'Added.' }],
      contextSize,
    );
    await agent.runTurn('Add big.txt');
    expect(readFileSync(path.join(h.repo.root, 'big.txt'), 'utf8')).toBe(line.repeat(2000));
    const call = (events: readonly AgentEvent[]) =>
      events.find((e): e is Extract<AgentEvent, { type: 'tool.call' }> => e.type === 'tool.call')!;
    // The run itself saw the whole call.
    expect((call(h.events).arguments as { input: string }).input).toBe(patch);

    // The patch is 200 KB; the log keeps it twice (history and event), each cut as the history cuts it.
    const log = readFileSync(h.session.file, 'utf8');
    expect(log.length).toBeLessThan(80_000);
    expect(log).not.toContain(line.repeat(300));

    const resumed = await h.reopen();
    const { agent: next, backend } = agentFor(h, resumed, [{ answer: 'Yes.' }], contextSize);
    const input = (call(resumed.events.map(({ event }) => event)).arguments as { input: string }).input;
    expect(input.length).toBeLessThan(40_000);
    expect(input).toMatch(/^\*\*\* Begin Patch\n/);
    expect(input).toContain('cut when it was kept in the conversation; the call ran with all of it');

    await next.runTurn('Is it there?');
    const sent = backend.requests[0]!.messages;
    const sentCall = sent.find((m) => m.role === 'assistant' && m.toolCalls?.length);
    expect(sentCall?.role === 'assistant' && sentCall.toolCalls![0]!.arguments).toContain(
      'cut when it was kept in the conversation',
    );
    expect(JSON.stringify(sent).length).toBeLessThan(40_000);
  });

  it('keeps a summary the model wrote past its limit only as far as the history does, and resumes from it', async () => {
    const h = await setUp();
    // A 16,384-token window: the summary is asked for within 4,096 tokens, the compacted message keeps at most 8,192.
    const contextSize = 16_384;
    const summary = Array.from({ length: 20_000 }, (_, i) => `point ${i}: ${'z'.repeat(40)}`).join('\n');
    const { agent, backend } = agentFor(h, h.session, [{ answer: 'Looked.' }, { answer: summary }], contextSize);
    await agent.runTurn('Look around');
    expect(await agent.compact()).toMatchObject({ ok: true });
    expect(backend.requests[1]!.maxOutputTokens).toBe(4096);
    const compacted = structuredClone(agent.history);
    expect(compacted).toHaveLength(1);
    expect(compacted[0]!.content).toContain('the summary was longer than the conversation may keep');

    // The summary is about 1 MB; the log keeps it twice (the history and the event), each cut as the history cuts it.
    const log = readFileSync(h.session.file, 'utf8');
    expect(log.length).toBeLessThan(80_000);
    expect(log).not.toContain('point 10000:');

    const resumed = await h.reopen();
    expect(resumed.messages()).toEqual(compacted);
    const shown = resumed.events.map(({ event }) => event).find((e) => e.type === 'context.compacted');
    expect(shown).toMatchObject({ summary: expect.stringContaining('the summary was longer') });
    const { agent: next, backend: nextBackend } = agentFor(h, resumed, [{ answer: 'Still here.' }], contextSize);
    expect(await next.runTurn('Go on')).toMatchObject({ stopReason: 'answer', answer: 'Still here.' });
    const sent = nextBackend.requests[0]!.messages;
    expect(sent).toEqual([...compacted, { role: 'user', content: 'Go on' }]);
    expect(JSON.stringify(sent).length).toBeLessThan(40_000);
    // No second compaction was needed to send it.
    expect(h.events.filter((e) => e.type === 'context.compacting')).toHaveLength(1);
  });

  it('cuts the huge events of a log written without that bound when it is resumed', async () => {
    const h = await setUp();
    const patch = `*** Begin Patch\n${'+y\n'.repeat(100_000)}*** End Patch`;
    // No agent attached yet: nothing bounds what is written, as in logs of earlier versions.
    h.session
      .hooks()
      .emit({ type: 'tool.call', id: 'c1', name: 'apply_patch', arguments: { input: patch }, summary: 'p' });
    answered(h.session);
    const resumed = await h.reopen();
    agentFor(h, resumed, [], 16_384);
    const shown = resumed.events.map(({ event }) => event).find((e) => e.type === 'tool.call');
    // Cut as the history cuts a call: the long string in place, or (mostly escapes) the whole text as one string.
    const kept = JSON.stringify((shown as { arguments: unknown }).arguments);
    expect(kept.length).toBeLessThan(40_000);
    expect(kept).toContain('the call ran with all of it');
  });

  it('reads a log cut off mid-line and appends after the last complete line', async () => {
    const h = await setUp();
    const { agent } = agentFor(h, h.session, loadTurns('read-then-answer'));
    await agent.runTurn('What does hello.txt say?');
    const history = structuredClone(agent.history);
    h.session.close();
    appendFileSync(h.session.file, '{"type":"history","change":{"op":"append","message":{"role":"us');

    const resumed = await h.reopen();
    expect(resumed.messages()).toEqual(history);
    const { agent: next } = agentFor(h, resumed, [{ answer: 'ok' }]);
    await next.runTurn('again');
    // Every line of the log is whole JSON again.
    expect(() => logLines(resumed)).not.toThrow();
    expect((await h.reopen()).messages().at(-1)).toMatchObject({ role: 'assistant', content: 'ok' });
  });

  it('answers a tool call cut off by a killed process, so the conversation can be sent again', async () => {
    const h = await setUp();
    const hooks = h.session.hooks();
    hooks.onHistoryChange({ op: 'append', message: { role: 'user', content: 'read it' } });
    hooks.onHistoryChange({
      op: 'append',
      message: { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'read_file', arguments: '{}' }] },
    });
    const resumed = await h.reopen();
    expect(resumed.messages().at(-1)).toMatchObject({ role: 'tool', toolCallId: 'c1', content: /interrupted/ });
    expect(resumed.notes).toEqual([]);
  });

  it('says when the last turn was cut off and when the instructions changed', async () => {
    const h = await setUp();
    h.session.hooks().emit({ type: 'turn.started', turn: 1, prompt: 'go' });
    answered(h.session);
    h.session.close();
    const resumed = await Session.open({
      stateDir: h.stateDir,
      workspace: h.workspace,
      resume: 'last',
      run: { ...RUN, instructions: 'Different instructions.' },
      emit: () => {},
    });
    h.session = resumed;
    expect(resumed.notes).toEqual([
      'The last turn of this session was cut off; what it finished is kept.',
      'The instructions changed since this session ran (AGENTS.md edited?); the new ones apply now.',
    ]);
  });

  it('lets one process at a time use a session, and takes over the lock of a dead one', async () => {
    const h = await setUp();
    const open = () =>
      Session.open({ stateDir: h.stateDir, workspace: h.workspace, resume: h.session.id, run: RUN, emit: () => {} });
    answered(h.session);
    await expect(open()).rejects.toThrow(SessionError);
    await expect(open()).rejects.toThrow(/is open in another gptoss-agent \(pid \d+\)/);

    h.session.close();
    // A lock left by a process that no longer exists (kill -9).
    writeFileSync(sessionPaths(h.stateDir, h.workspace.root, h.session.id).lock, '999999999\n');
    h.session = await open();
    expect(h.session.resumed).toBe(true);
  });

  it('lists the sessions of a repository, most recent first, titled by their first request, and finds one by a unique start of its id', async () => {
    const h = await setUp();
    h.session.hooks().emit({ type: 'turn.started', turn: 1, prompt: 'first task\nwith two lines' });
    answered(h.session);
    const first = h.session;
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await Session.open({ stateDir: h.stateDir, workspace: h.workspace, run: RUN, emit: () => {} });
    h.session = second;
    second.hooks().emit({
      type: 'turn.started',
      turn: 1,
      prompt: 'The project’s tests fail. This is the report of run_tests: …',
      title: 'Fixing the failing tests, round 1 of 3',
    });
    answered(second);

    const sessions = await listSessions(h.workspace.root, h.stateDir);
    expect(sessions.map((s) => [s.id, s.title])).toEqual([
      [second.id, 'Fixing the failing tests, round 1 of 3'],
      [first.id, 'first task with two lines'],
    ]);
    expect(sessions[0]).toMatchObject({ root: h.workspace.root, model: 'scripted', file: second.file });
    expect((await findSession(h.workspace.root, h.stateDir, 'last')).id).toBe(second.id);
    expect((await findSession(h.workspace.root, h.stateDir, first.id)).id).toBe(first.id);
    await expect(findSession(h.workspace.root, h.stateDir, 'nope')).rejects.toThrow(/No session "nope"/);
    // Another repository sees none of them.
    expect(await listSessions(path.join(h.workspace.root, 'elsewhere'), h.stateDir)).toEqual([]);
  });

  it('lists and resumes no session the model never answered, and drops it on exit when asked', async () => {
    const h = await setUp();
    // A session that got an answer, then one whose connection was refused: a prompt, a notice, no answer.
    answered(h.session, 'Hello.');
    const kept = h.session;
    kept.close({ dropIfEmpty: true });
    const failed = await Session.open({ stateDir: h.stateDir, workspace: h.workspace, run: RUN, emit: () => {} });
    h.session = failed;
    failed.hooks().emit({ type: 'turn.started', turn: 1, prompt: 'hi' });
    failed.hooks().onHistoryChange({ op: 'append', message: { role: 'user', content: 'hi' } });
    failed.hooks().emit({ type: 'model.notice', message: 'connect ECONNREFUSED 127.0.0.1:9' });
    expect(failed.kept).toBe(false);
    // While it runs, or when a kill -9 left it behind, it is neither listed nor picked as the last one.
    expect((await listSessions(h.workspace.root, h.stateDir)).map((s) => s.id)).toEqual([kept.id]);
    expect((await findSession(h.workspace.root, h.stateDir, 'last')).id).toBe(kept.id);
    // Its whole id, as shown to the user, still reaches it.
    expect((await findSession(h.workspace.root, h.stateDir, failed.id)).id).toBe(failed.id);
    // A run that never showed its id removes it on exit, directory and all; the answered one stays.
    failed.close({ dropIfEmpty: true });
    const sessionsDir = path.dirname(path.dirname(failed.file));
    expect(readdirSync(sessionsDir)).toEqual([kept.id]);
    expect(kept.kept).toBe(true);
  });

  it('keeps a session in which the model only changed a file', async () => {
    const h = await setUp();
    await h.apply([{ type: 'update', path: 'hello.txt', content: 'hi\n' }]);
    expect(h.session.kept).toBe(true);
    const id = h.session.id;
    h.session.close({ dropIfEmpty: true });
    expect((await listSessions(h.workspace.root, h.stateDir)).map((s) => s.id)).toEqual([id]);
  });

  it('lists no session whose log claims another id than its directory', async () => {
    const h = await setUp();
    answered(h.session);
    h.session.close();
    const log = readFileSync(h.session.file, 'utf8');
    writeFileSync(h.session.file, log.replace(`"id":"${h.session.id}"`, '"id":"../../elsewhere"'));
    expect(await listSessions(h.workspace.root, h.stateDir)).toEqual([]);
  });

  it('says so when a repository has no session to continue', async () => {
    const h = await setUp();
    await expect(
      Session.open({
        stateDir: path.join(h.stateDir, 'empty'),
        workspace: h.workspace,
        resume: 'last',
        emit: () => {},
      }),
    ).rejects.toThrow(/There is no saved session for .* yet/);
  });
});
