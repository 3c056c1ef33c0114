// Building the index over many files: parse threads give the same index as
// parsing in one thread, and a second refresh parses nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';
import { refreshIndex } from '../../../tools/symbols/index-refresh.js';
import { INLINE_PARSE_LIMIT } from '../../../tools/symbols/parse-pool.js';

let repo: TempRepo | undefined;
let cache: string | undefined;
afterEach(() => {
  repo?.remove();
  if (cache) rmSync(cache, { recursive: true, force: true });
});

describe('refreshIndex', () => {
  it('spreads a large batch over parse threads, with the same result as one thread', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < INLINE_PARSE_LIMIT + 10; i++) {
      files[`src/m${i}.ts`] = `export function f${i}(): number {\n  return ${i};\n}\n`;
      if (i % 10 === 0) files[`py/m${i}.py`] = `class C${i}:\n    def run(self):\n        pass\n`;
    }
    repo = makeTempRepo(files);
    cache = mkdtempSync(path.join(os.tmpdir(), 'gptoss-refresh-'));
    const options = { root: repo.root, isGitRepo: true, rg: undefined };
    const threaded = await refreshIndex({ ...options, threads: 2, indexFile: path.join(cache, 'a.idx') });
    const inline = await refreshIndex({ ...options, threads: 1 });
    expect(threaded.stats.parsed).toBe(Object.keys(files).length);
    expect(threaded.files).toEqual(inline.files);
    expect(threaded.files.get('src/m42.ts')!.block).toBe('f42\tfunction\t1\t\t0\t2\n');
    expect(threaded.files.get('py/m40.py')!.block).toBe('C40\tclass\t1\t\t0\t2\nrun\tmethod\t2\tC40\t0\t1\n');

    const again = await refreshIndex({ ...options, indexFile: path.join(cache, 'a.idx') });
    expect(again.stats).toMatchObject({ parsed: 0, files: Object.keys(files).length });
  });
});
