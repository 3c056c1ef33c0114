// The reducer that folds agent and session events into what the UI shows.
import { describe, expect, it } from 'vitest';
import type { AgentEvent, ApprovalRequest } from '../../src/agent/events.js';
import { initialState, reduce, type ViewAction, type ViewState } from '../../src/ui/state.js';

const start = () => initialState({ version: '1.2.3', cwd: '~/project' });

/** Folds actions given as [at, action] pairs. */
function fold(actions: [number, ViewAction][], state: ViewState = start()): ViewState {
  return actions.reduce((current, [at, action]) => reduce(current, action, at), state);
}

const usage = {
  promptTokens: 0,
  cachedPromptTokens: 0,
  outputTokens: 0,
  generations: 1,
  malformedGenerations: 0,
  toolCalls: 0,
  durationMs: 0,
};
const started: AgentEvent = { type: 'turn.started', turn: 1, prompt: 'fix the greeting' };
const editRequest: ApprovalRequest = {
  tool: 'apply_patch',
  kind: 'edit',
  title: 'Edit hello.txt',
  diff: 'diff --git a/hello.txt b/hello.txt\n--- a/hello.txt\n+++ b/hello.txt\n@@ -1,1 +1,1 @@\n-hello\n+bye\n',
  files: [{ path: 'hello.txt', change: 'update', added: 1, removed: 1 }],
};

describe('the view reducer', () => {
  it('starts with the welcome header and the model not yet set up', () => {
    const state = start();
    expect(state.items).toEqual([{ id: 0, kind: 'welcome', version: '1.2.3', cwd: '~/project' }]);
    expect(state.status.model).toEqual({ state: 'starting' });
    expect(state.turn).toBeUndefined();
  });

  it('prints the prompt at once and streams reasoning live, then folds it with how long it took', () => {
    const streaming = fold([
      [1000, started],
      [1100, { type: 'reasoning.delta', delta: 'Read the ' }],
      [1200, { type: 'reasoning.delta', delta: 'file first.' }],
    ]);
    expect(streaming.items.at(-1)).toMatchObject({ kind: 'user', text: 'fix the greeting' });
    expect(streaming.turn?.stream).toEqual({ kind: 'reasoning', text: 'Read the file first.', startedAt: 1100 });

    const answered = fold([[3600, { type: 'answer.delta', delta: 'Done.' }]], streaming);
    expect(answered.items.at(-1)).toMatchObject({ kind: 'reasoning', text: 'Read the file first.', durationMs: 2500 });
    expect(answered.turn?.stream).toEqual({ kind: 'answer', text: 'Done.', startedAt: 3600 });

    const done = fold([[3700, { type: 'turn.completed', stopReason: 'answer', answer: 'Done.', usage }]], answered);
    expect(done.items.at(-1)).toMatchObject({ kind: 'answer', text: 'Done.' });
    expect(done.turn).toBeUndefined();
  });

  it('redraws a resumed session at the times its events happened, whenever it is replayed', () => {
    const replayed = fold([
      [
        5,
        {
          type: 'transcript.replay',
          events: [
            { at: 1_700_000_000_000, event: started },
            { at: 1_700_000_000_100, event: { type: 'reasoning.delta', delta: 'Read the file first.' } },
            { at: 1_700_000_012_100, event: { type: 'answer.delta', delta: 'Done.' } },
            { at: 1_700_000_012_300, event: { type: 'turn.completed', stopReason: 'answer', answer: 'Done.', usage } },
          ],
        },
      ],
    ]);
    expect(replayed.items.slice(1)).toMatchObject([
      { kind: 'user', text: 'fix the greeting' },
      { kind: 'reasoning', text: 'Read the file first.', durationMs: 12_000 },
      { kind: 'answer', text: 'Done.' },
    ]);
    expect(replayed.turn).toBeUndefined();
  });

  it('shows a flow’s turn by its title, not by the prompt the flow wrote', () => {
    const state = fold([
      [
        0,
        { type: 'turn.started', turn: 2, prompt: 'The tests fail: …', title: 'Fixing the failing tests, round 1 of 3' },
      ],
    ]);
    expect(state.items.at(-1)).toMatchObject({ kind: 'message', text: 'Fixing the failing tests, round 1 of 3' });
    expect(state.turn).toBeDefined();
  });

  it('drops a stream that was only whitespace', () => {
    const state = fold([
      [0, started],
      [1, { type: 'reasoning.delta', delta: '  \n' }],
      [2, { type: 'answer.delta', delta: 'ok' }],
    ]);
    expect(state.items.map((item) => item.kind)).toEqual(['welcome', 'user']);
  });

  it('shows a proposed edit in the transcript, asks, and records the user’s rejection on the tool line', () => {
    const asking = fold([
      [0, started],
      [10, { type: 'preamble.delta', delta: 'Changing the greeting.' }],
      [20, { type: 'tool.call', id: 'c1', name: 'apply_patch', arguments: {}, summary: 'patch hello.txt' }],
      [30, { type: 'approval.requested', id: 'c1', request: editRequest }],
    ]);
    expect(asking.items.slice(-2)).toMatchObject([
      { kind: 'preamble', text: 'Changing the greeting.' },
      { kind: 'proposal', request: editRequest },
    ]);
    expect(asking.approval).toEqual({ id: 'c1', request: editRequest });

    const rejected = fold(
      [
        [40, { type: 'approval.decided', id: 'c1', approved: false, by: 'user', feedback: 'keep hello' }],
        [
          50,
          {
            type: 'tool.result',
            id: 'c1',
            name: 'apply_patch',
            ok: false,
            output: 'The user rejected this patch. Their feedback: keep hello',
            summary: 'rejected',
            truncated: false,
            durationMs: 20,
          },
        ],
      ],
      asking,
    );
    expect(rejected.approval).toBeUndefined();
    expect(rejected.items.at(-1)).toMatchObject({
      kind: 'tool',
      summary: 'patch hello.txt',
      ok: false,
      resultSummary: 'rejected',
      decision: { approved: false, by: 'user', feedback: 'keep hello' },
    });
    // The diff was shown as the proposal; the tool line does not repeat it.
    expect(rejected.items.at(-1)).not.toHaveProperty('diff');
  });

  it('keeps what the user answered when the same call is decided again by a rule (the tests a patch re-runs)', () => {
    const applied = fold([
      [0, started],
      [1, { type: 'tool.call', id: 'c1', name: 'apply_patch', arguments: {}, summary: 'patch hello.txt' }],
      [2, { type: 'approval.requested', id: 'c1', request: editRequest }],
      [3, { type: 'approval.decided', id: 'c1', approved: true, by: 'user' }],
      [4, { type: 'approval.decided', id: 'c1', approved: true, by: 'rule' }],
    ]);
    expect(applied.turn?.tool?.decision).toEqual({ approved: true, by: 'user' });
    const refused = fold([[5, { type: 'approval.decided', id: 'c1', approved: false, by: 'user' }]], applied);
    expect(refused.turn?.tool?.decision).toEqual({ approved: false, by: 'user' });
  });

  it('attaches the applied diff to an edit that needed no approval', () => {
    const state = fold([
      [0, started],
      [1, { type: 'tool.call', id: 'c1', name: 'apply_patch', arguments: {}, summary: 'patch hello.txt' }],
      [2, { type: 'approval.decided', id: 'c1', approved: true, by: 'policy' }],
      [3, { type: 'changes.applied', diff: editRequest.diff!, files: editRequest.files! }],
      [
        4,
        {
          type: 'tool.result',
          id: 'c1',
          name: 'apply_patch',
          ok: true,
          output: 'Applied',
          truncated: false,
          durationMs: 3,
        },
      ],
    ]);
    expect(state.items.at(-1)).toMatchObject({
      kind: 'tool',
      ok: true,
      diff: editRequest.diff,
      decision: { approved: true, by: 'policy' },
    });
    expect(state.turn?.tool).toBeUndefined();
  });

  it('keeps the context used, its size and the speed from the last generation', () => {
    const state = fold([
      [0, { type: 'model.status', status: { state: 'ready', contextSize: 32768 } }],
      [1, started],
      [
        2,
        {
          type: 'generation.completed',
          usage: { promptTokens: 1200, cachedPromptTokens: 3000, outputTokens: 96, tokensPerSecond: 24.5 },
        },
      ],
    ]);
    expect(state.status).toMatchObject({ contextTokens: 4296, contextSize: 32768, tokensPerSecond: 24.5 });
    const next = fold([[3, { type: 'generation.completed', usage: { promptTokens: 10, outputTokens: 5 } }]], state);
    expect(next.status).toMatchObject({ contextTokens: 15, contextSize: 32768, tokensPerSecond: 24.5 });
  });

  it('takes the context figure from the agent and reports elision and compaction', () => {
    const state = fold([
      [0, { type: 'context.usage', usedTokens: 30_000, contextSize: 32_768 }],
      [1, { type: 'context.elided', toolOutputs: 3, tokensBefore: 30_000, tokensAfter: 21_500 }],
      [2, { type: 'context.compacting', trigger: 'auto', tokensBefore: 31_000 }],
      [3, { type: 'context.compacted', trigger: 'auto', tokensBefore: 31_000, tokensAfter: 2_100, summary: 's' }],
      [4, { type: 'context.compaction_failed', trigger: 'manual', message: 'the model gave no summary' }],
    ]);
    expect(state.status).toMatchObject({ contextTokens: 30_000, contextSize: 32_768 });
    expect(state.items.slice(-4).map((item) => (item.kind === 'message' ? `${item.tone}: ${item.text}` : ''))).toEqual([
      'info: Context: 3 old tool outputs replaced by a note (30k → 21.5k tokens).',
      'info: Compacting the conversation (31k tokens): the context is nearly full…',
      'info: Compacted: 31k → 2.1k tokens; the model goes on from a summary.',
      'warning: Compaction failed (the model gave no summary); the conversation stays as it was.',
    ]);
  });

  it('holds a task outside a turn (a /compact) until it finishes', () => {
    const running = fold([
      [5, { type: 'task.started', label: 'Compacting the conversation…' }],
      [6, { type: 'turn.interrupting' }],
    ]);
    expect(running.task).toEqual({ label: 'Compacting the conversation…', startedAt: 5, interrupting: true });
    expect(fold([[7, { type: 'task.finished' }]], running).task).toBeUndefined();
  });

  it('shows a task’s progress and a tool it runs itself (the test runs of /fix)', () => {
    const running = fold([
      [5, { type: 'task.started', label: 'Fixing the failing tests…' }],
      [6, { type: 'task.progress', text: 'running the tests' }],
      [7, { type: 'tool.call', id: 'run_tests-1', name: 'run_tests', arguments: {}, summary: 'run the tests' }],
    ]);
    expect(running.task).toMatchObject({
      detail: 'running the tests',
      tool: { id: 'run_tests-1', summary: 'run the tests' },
    });
    const done = fold(
      [
        [
          9,
          {
            type: 'tool.result',
            id: 'run_tests-1',
            name: 'run_tests',
            ok: true,
            output: 'Tests failed: 1 failed, 2 passed',
            summary: '1 failed, 2 passed',
            truncated: false,
            durationMs: 2000,
          },
        ],
      ],
      running,
    );
    expect(done.items.at(-1)).toMatchObject({
      kind: 'tool',
      summary: 'run the tests',
      resultSummary: '1 failed, 2 passed',
    });
    expect(done.task).toEqual({
      label: 'Fixing the failing tests…',
      startedAt: 5,
      interrupting: false,
      detail: 'running the tests',
    });
  });

  it('says why a turn ended without an answer', () => {
    const interrupted = fold([
      [0, started],
      [1, { type: 'turn.interrupting' }],
      [2, { type: 'answer.delta', delta: 'Half an ans' }],
      [3, { type: 'turn.completed', stopReason: 'aborted', answer: '', usage }],
    ]);
    expect(interrupted.items.slice(-2)).toMatchObject([
      { kind: 'answer', text: 'Half an ans' },
      { kind: 'message', tone: 'warning', text: expect.stringMatching(/^Interrupted/) },
    ]);
    // Inside a task (/fix) the task says how it ended.
    const inTask = fold([
      [0, { type: 'task.started', label: 'Fixing the failing tests…' }],
      [1, started],
      [2, { type: 'turn.completed', stopReason: 'aborted', answer: '', usage }],
    ]);
    expect(inTask.items.at(-1)).toMatchObject({ kind: 'user' });
    const failed = fold([
      [0, started],
      [
        1,
        {
          type: 'turn.completed',
          stopReason: 'error',
          answer: '',
          usage,
          error: { message: 'Cannot reach http://x', hint: 'Is the server running?' },
        },
      ],
    ]);
    expect(failed.items.at(-1)).toMatchObject({
      kind: 'message',
      tone: 'error',
      text: 'Cannot reach http://x\nIs the server running?',
    });
  });

  it('says the answer stopped at the output limit, as a warning, keeping the text', () => {
    const limited = fold([
      [0, started],
      [1, { type: 'answer.delta', delta: 'A long' }],
      [
        2,
        {
          type: 'turn.completed',
          stopReason: 'output_limit',
          answer: 'A long',
          usage,
          error: { message: 'The answer reached the output limit of 40 tokens.', hint: 'Raise it.' },
        },
      ],
    ]);
    expect(limited.items.at(-1)).toMatchObject({
      kind: 'message',
      tone: 'warning',
      text: 'The answer reached the output limit of 40 tokens.\nRaise it.',
    });
    expect(limited.items.some((item) => 'text' in item && item.text === 'A long')).toBe(true);
  });

  it('ignores stray deltas outside a turn', () => {
    const state = fold([[0, { type: 'answer.delta', delta: 'late' }]]);
    expect(state).toEqual(start());
  });

  it('clears the transcript and forgets the context count, reprinting from a new epoch', () => {
    const state = fold([
      [0, started],
      [1, { type: 'generation.completed', usage: { promptTokens: 10, outputTokens: 5 } }],
      [2, { type: 'turn.completed', stopReason: 'answer', answer: '', usage }],
      [3, { type: 'transcript.cleared' }],
    ]);
    expect(state.items).toEqual([]);
    expect(state.epoch).toBe(1);
    expect(state.status.contextTokens).toBeUndefined();
  });

  it('toggles details, which reprints the transcript', () => {
    const state = fold([[0, { type: 'view.toggleExpanded' }]]);
    expect(state).toMatchObject({ expanded: true, epoch: 1 });
  });

  it('tracks session info, git state, the queue and confirm questions', () => {
    const state = fold([
      [0, { type: 'session.info', info: { model: 'gpt-oss-20b', backend: '127.0.0.1:8080', approvalMode: 'suggest' } }],
      [1, { type: 'session.info', info: { approvalMode: 'auto-edit' } }],
      [2, { type: 'git.status', git: { branch: 'main', dirty: true } }],
      [3, { type: 'queue.changed', queued: ['next'] }],
      [4, { type: 'confirm.requested', id: 'q1', title: 'Download the model?' }],
    ]);
    expect(state.status.info).toMatchObject({
      model: 'gpt-oss-20b',
      backend: '127.0.0.1:8080',
      approvalMode: 'auto-edit',
    });
    expect(state.status.git).toEqual({ branch: 'main', dirty: true });
    expect(state.queued).toEqual(['next']);
    expect(state.confirm).toEqual({ id: 'q1', title: 'Download the model?' });
    expect(fold([[5, { type: 'confirm.answered', id: 'q1' }]], state).confirm).toBeUndefined();
  });
});
