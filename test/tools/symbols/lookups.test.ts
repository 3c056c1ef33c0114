// The symbol lookups code other than the tool asks for (the review's code
// context): the definitions around given lines, and references to several
// names, each named by the definition it sits in.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';
import { findRipgrep } from '../../../tools/grep/ripgrep.js';
import { indexFileFor } from '../../../tools/symbols/index-store.js';
import { searchReferences } from '../../../tools/symbols/references.js';
import { askSymbolWorker } from '../../../tools/symbols/requests.js';
import { Workspace } from '../../../tools/workspace/workspace.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/symbols/typescript/src');
const signal = new AbortController().signal;

let repo: TempRepo;
let cacheDir: string;
beforeAll(() => {
  repo = makeTempRepo({
    'src/shapes.ts': readFileSync(path.join(fixtures, 'shapes.ts'), 'utf8'),
    'src/main.ts': readFileSync(path.join(fixtures, 'main.ts'), 'utf8'),
  });
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-lookups-'));
});
afterAll(() => {
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('symbol lookups', () => {
  it('names the innermost definition around each line, once each, never a namespace', async () => {
    const found = await askSymbolWorker(
      {
        op: 'enclosing',
        root: repo.root,
        isGitRepo: true,
        rg: await findRipgrep(),
        indexFile: indexFileFor(cacheDir, repo.root),
        // 18 and 19 are in Circle.area, 14 in Circle only, 4 in nothing, 30 in the namespace only.
        files: [
          { file: 'src/shapes.ts', lines: [4, 14, 18, 19, 30, 31] },
          { file: 'src/gone.ts', lines: [1] },
        ],
      },
      signal,
    );
    const [shapes, gone] = found.files;
    expect(shapes!.definitions.map((d) => `${d.container ?? ''}.${d.name} ${d.startLine}-${d.endLine}`)).toEqual([
      '.Circle 12-20',
      'Circle.area 17-19',
      'Geometry.EPSILON 31-31',
    ]);
    expect(shapes!.definitions[1]!.signature).toBe('area(): number {');
    expect(gone).toEqual({ file: 'src/gone.ts', definitions: [], skipped: 'not indexed' });
  });

  it('finds several names at once, each use named by the definition it sits in', async () => {
    const indexFile = indexFileFor(cacheDir, repo.root);
    const rg = await findRipgrep();
    // The references search reads the index as it is: bring it up to date first.
    await askSymbolWorker({ op: 'enclosing', root: repo.root, isGitRepo: true, rg, indexFile, files: [] }, signal);
    const found = await searchReferences({
      workspace: await Workspace.open(repo.root),
      rg,
      names: ['makeCircle', 'Circle'],
      recentPaths: [],
      indexFile,
      signal,
    });
    expect(found.complete).toBe(true);
    expect(found.references.map((r) => `${r.file}:${r.line} ${r.name} ${r.kind} in ${r.within ?? '-'}`)).toEqual([
      'src/main.ts:1 makeCircle import in -',
      'src/main.ts:8 makeCircle call in main',
      'src/shapes.ts:24 Circle type in makeCircle',
      'src/shapes.ts:25 Circle class in makeCircle',
    ]);
  });
});
