import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PromptHistory } from '../../src/modes/prompt-history.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const dirs: TempRepo[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function tempFile() {
  const dir = makeTempRepo({}, { git: false });
  dirs.push(dir);
  return path.join(dir.root, 'state', 'history.jsonl');
}

describe('prompt history', () => {
  it('keeps prompts across sessions, multi-line ones included, readable by the user only', async () => {
    const file = tempFile();
    const first = new PromptHistory(file);
    await first.load();
    first.add('fix the build');
    first.add('explain\nthis');
    first.add('explain\nthis');
    await first.flush();
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = new PromptHistory(file);
    await second.load();
    second.add('third');
    expect(second.list()).toEqual(['fix the build', 'explain\nthis', 'third']);
    await second.flush();
    expect(readFileSync(file, 'utf8')).toBe('"fix the build"\n"explain\\nthis"\n"third"\n');
  });

  it('skips damaged lines and starts empty without a file', async () => {
    const file = tempFile();
    const empty = new PromptHistory(file);
    await empty.load();
    expect(empty.list()).toEqual([]);
    empty.add('ok');
    await empty.flush();
    expect(readFileSync(file, 'utf8')).toBe('"ok"\n');
    writeFileSync(file, '"one"\n{"not":"a string"}\n"two\n"three"\n');
    const history = new PromptHistory(file);
    await history.load();
    expect(history.list()).toEqual(['one', 'three']);
  });
});
