// Two agent processes editing different parts of one file at once: each
// computes its patch from the same text, and both try to write together.
// One may win; the other must be refused (and told to re-read), never both
// report success with one edit lost.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const agentScript = fileURLToPath(new URL('../fixtures/patch-agent.ts', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const ROUNDS = 40;
const FILLER = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
const original = `first\n${FILLER}\nlast\n`;

/** An agent process and a way to read its answers one line at a time. */
function startAgent(root: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', agentScript, root], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return {
    send: (line: string) => child.stdin.write(`${line}\n`),
    next: async (): Promise<string> => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the agent process ended: ${errors}`);
      return value as string;
    },
    stop: () => child.stdin.end(),
  };
}

const patchLine = (from: string, to: string) =>
  `patch ${JSON.stringify(`*** Begin Patch\n*** Update File: shared.txt\n@@\n-${from}\n+${to}\n*** End Patch`)}`;

describe('two agent processes editing different hunks of one file at the same moment', () => {
  it(`never both report "applied" with one edit lost, in ${ROUNDS} rounds`, { timeout: 120_000 }, async () => {
    const repo: TempRepo = makeTempRepo({ 'shared.txt': original });
    cleanups.push(() => repo.remove());
    const file = path.join(repo.root, 'shared.txt');
    const [one, two] = [startAgent(repo.root), startAgent(repo.root)];
    const outcomes = { both: 0, one: 0 };

    for (let round = 0; round < ROUNDS; round++) {
      writeFileSync(file, original);
      one.send(patchLine('first', `first, edited by one in round ${round}`));
      two.send(patchLine('last', `last, edited by two in round ${round}`));
      // Both computed their patch from the same text and wait at the approval prompt.
      expect([await one.next(), await two.next()]).toEqual(['ready', 'ready']);
      one.send('go');
      two.send('go');
      const [byOne, byTwo] = [await one.next(), await two.next()];

      const text = readFileSync(file, 'utf8');
      const editOne = text.includes(`edited by one in round ${round}`);
      const editTwo = text.includes(`edited by two in round ${round}`);
      // What each said matches what the file holds.
      expect([byOne === 'applied', byTwo === 'applied']).toEqual([editOne, editTwo]);
      expect(editOne || editTwo).toBe(true);
      for (const answer of [byOne, byTwo].filter((answer) => answer !== 'applied')) {
        expect(answer).toMatch(/^refused .*Re-read (it|shared\.txt) with read_file/);
      }
      if (editOne && editTwo) outcomes.both++;
      else outcomes.one++;
    }
    one.stop();
    two.stop();
    // Both write together from one text: the second is always the one refused.
    expect(outcomes).toEqual({ both: 0, one: ROUNDS });
  });
});
