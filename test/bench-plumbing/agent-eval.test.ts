// The agent benchmark end to end on its scripted model (no weights): the built
// binary fixes a real sample project on both tool surfaces, and the bench's last
// line counts what happened. Needs `npm run build`.
import { describe, expect, it } from 'vitest';
import { runAgentEval } from '../bench/agent-eval.js';

describe('agent-eval bench, scripted', () => {
  it('solves the project on both surfaces and counts one malformed generation and the model calls', async () => {
    let printed = '';
    await runAgentEval(['--projects', 'node-test', '--surfaces', 'native,functions'], {
      write: (text) => (printed += text),
    });
    const lines = printed.trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!);
    for (const surface of ['native', 'functions']) {
      const project = last.surfaces[surface].projects['node-test'];
      // One malformed try, then open the file and patch it: two calls by the model.
      expect(project).toMatchObject({ runs: 1, solved: 1, malformed: 1, toolCalls: 2 });
      // Four generations of 10 prompt and 5 output tokens, as the loopback server reports them.
      expect(project).toMatchObject({ promptTokens: 40, outputTokens: 20 });
      expect(project.wallMs).toBeGreaterThan(0);
    }
    expect(last.total).toMatchObject({ runs: 2, solved: 2, malformed: 2, toolCalls: 4 });
    expect(lines).toContainEqual(expect.stringMatching(/^native +node-test +1\/1 +1 +2 +40 +20 /));
    expect(lines).toContainEqual(expect.stringMatching(/^all +total +2\/2 +2 +4 +80 +40 /));
  }, 120_000);
});
