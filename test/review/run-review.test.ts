// A whole review on a real repository with the real agent loop and a
// scripted model: what the model is sent, how its answers become findings,
// and what happens when an answer cannot be read or the model fails.
import { afterEach, describe, expect, it } from 'vitest';
import { diffCodeContext } from '../../src/review/diff-code-context.js';
import { ANSWER_SCHEMA } from '../../src/review/findings.js';
import { runReview } from '../../src/review/run-review.js';
import type { ScriptedBackend, ScriptedStep } from '../fixtures/scripted-backend.js';
import { reviewAgent } from './review-agent.js';
import { numberedText, stagedRepo, type StagedRepo } from './staged-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const SUM_BEFORE =
  'export function sum(items: number[]) {\n  let total = 0;\n  for (let i = 0; i < items.length; i++) total += items[i];\n  return total;\n}\n';

async function sumChange(): Promise<StagedRepo> {
  return stagedRepo(
    {
      'src/math.ts': SUM_BEFORE,
      'src/use.ts': "import { sum } from './math';\nexport const three = sum([1, 2]);\n",
      'AGENTS.md': '## Review rules\nFlag any use of console.log.\n',
    },
    (r) => r.write('src/math.ts', SUM_BEFORE.replace('i < items.length', 'i <= items.length')),
    cleanups,
  );
}

async function review(staged: StagedRepo, steps: ScriptedStep[], budgetTokens?: number) {
  const { agent, backend } = await reviewAgent(staged.repo.root, steps);
  const target = { kind: 'staged' } as const;
  const result = await runReview({
    agent,
    root: staged.repo.root,
    target,
    codeContext: diffCodeContext(staged.repo.root, target),
    signal: new AbortController().signal,
    ...(budgetTokens ? { budgetTokens } : {}),
  });
  return { result, backend };
}

const offByOne = {
  file: 'src/math.ts',
  line: 3,
  severity: 'high',
  category: 'bug',
  title: 'Loop reads past the end',
  explanation: 'i <= items.length reads items[items.length].',
};

function userMessage(backend: ScriptedBackend, index = 0): string {
  const message = backend.requests[index]!.messages.find((m) => m.role === 'user');
  return message?.role === 'user' ? message.content : '';
}

describe('runReview', () => {
  it('sends the staged hunks numbered as in the new version, the callers, the review prompt and read-only tools', async () => {
    const staged = await sumChange();
    const { backend } = await review(staged, [{ answer: '{"findings": []}' }]);
    const request = backend.requests[0]!;
    const prompt = userMessage(backend);
    expect(prompt).toContain('## src/math.ts (modified, +1 -1)');
    expect(prompt).toContain('  -   for (let i = 0; i < items.length; i++) total += items[i];');
    expect(prompt).toContain('3 +   for (let i = 0; i <= items.length; i++) total += items[i];');
    expect(prompt).toContain('- sum, defined at src/math.ts:1: export function sum(items: number[]) {');
    expect(prompt).toContain('used at src/use.ts:2: export const three = sum([1, 2]);');
    expect(request.instructions).toMatch(/^You are gptoss-agent reviewing a code change/);
    expect(request.instructions).toContain('Flag any use of console.log.');
    expect(request.tools.map((t) => t.name)).toEqual(['read_file', 'grep', 'symbols', 'run_tests']);
    expect(request.responseSchema).toBeUndefined();
  });

  it('turns the answer into checked findings, after the model used its tools', async () => {
    const staged = await sumChange();
    const answer = JSON.stringify({
      findings: [offByOne, { ...offByOne, file: 'src/use.ts', line: 2, title: 'Caller', severity: 'low' }],
    });
    const { result, backend } = await review(staged, [
      { reasoning: 'Who calls sum?', toolCalls: [{ name: 'grep', arguments: { pattern: 'sum\\(' } }] },
      { answer },
    ]);
    expect(backend.requests).toHaveLength(2);
    expect(result.complete).toBe(true);
    expect(result.findings).toEqual([
      {
        file: 'src/math.ts',
        line: 3,
        endLine: 3,
        severity: 'high',
        category: 'bug',
        title: 'Loop reads past the end',
        explanation: 'i <= items.length reads items[items.length].',
        location: 'changed',
      },
    ]);
    expect(result.rejected).toEqual([
      {
        file: 'src/use.ts',
        line: 2,
        title: 'Caller',
        reason: 'src/use.ts is not part of this change and the finding is not marked as context',
      },
    ]);
    expect(result.files.find((f) => f.path === 'src/math.ts')).toMatchObject({ reviewed: true });
  });

  it('asks once more with the schema enforced and no tools when the answer cannot be read', async () => {
    const staged = await sumChange();
    const { result, backend } = await review(staged, [
      { answer: 'The loop bound looks wrong to me.' },
      { answer: JSON.stringify({ findings: [offByOne] }) },
    ]);
    const retry = backend.requests[1]!;
    expect(retry.responseSchema).toEqual(ANSWER_SCHEMA);
    expect(retry.tools).toEqual([]);
    expect(retry.messages.at(-1)).toMatchObject({ role: 'user' });
    expect((retry.messages.at(-1) as { content: string }).content).toMatch(
      /^Your answer could not be read as findings \(the answer contains no JSON\)/,
    );
    expect(result.findings.map((f) => f.title)).toEqual(['Loop reads past the end']);
    expect(result.complete).toBe(true);
  });

  it('reports an answer it still cannot read as such, invents nothing, and is incomplete', async () => {
    const staged = await sumChange();
    const { result } = await review(staged, [{ answer: 'Looks fine.' }, { answer: 'Still prose.' }]);
    expect(result.findings).toEqual([]);
    expect(result.complete).toBe(false);
    expect(result.problems).toEqual([
      'The model\'s findings could not be read (the answer contains no JSON); its answer began: "Still prose."',
    ]);
    expect(result.files.find((f) => f.path === 'src/math.ts')).toMatchObject({
      reviewed: false,
      note: "not reviewed: the model's answer could not be read",
    });
  });

  it('stops at a model failure and says so', async () => {
    const staged = await sumChange();
    const { result } = await review(staged, [{ error: 'connection refused by http://127.0.0.1:9/v1' }]);
    expect(result.complete).toBe(false);
    expect(result.problems).toEqual(['The model failed: connection refused by http://127.0.0.1:9/v1']);
  });

  it('reviews a change too big for one request in fresh batches, naming the others and what was skipped', async () => {
    const staged = await stagedRepo(
      { 'huge.txt': numberedText(2000) },
      (r) => {
        r.write('a.ts', numberedText(120, 'a'));
        r.write('b.ts', numberedText(120, 'b'));
        r.write('huge.txt', numberedText(2000, 'changed'));
        r.write('logo.png', Buffer.from([0, 1, 2, 3]));
      },
      cleanups,
    );
    const answerFor = (file: string) =>
      JSON.stringify({
        findings: [{ file, line: 1, severity: 'low', category: 'bug', title: `in ${file}`, explanation: 'x' }],
      });
    const { result, backend } = await review(
      staged,
      [{ answer: answerFor('a.ts') }, { answer: answerFor('b.ts') }],
      700,
    );
    expect(result.batches).toBe(2);
    expect(backend.requests).toHaveLength(2);
    // Each batch starts a fresh conversation.
    expect(backend.requests[1]!.messages).toHaveLength(1);
    expect(userMessage(backend, 0)).toContain('(part 1 of 2)');
    expect(userMessage(backend, 0)).toContain('- b.ts (new file, 120 lines): reviewed separately');
    expect(userMessage(backend, 1)).toMatch(
      /- huge\.txt \(modified, \+2000 -2000\): too large to review \(about \d+ tokens; one review holds 595\)/,
    );
    expect(result.findings.map((f) => f.file).sort()).toEqual(['a.ts', 'b.ts']);
    expect(result.files.map((f) => [f.path, f.reviewed, f.note ?? ''])).toEqual([
      ['a.ts', true, ''],
      ['b.ts', true, ''],
      ['huge.txt', false, expect.stringMatching(/^too large to review/)],
      ['logo.png', false, 'binary'],
    ]);
    expect(result.complete).toBe(true);
  });
});
