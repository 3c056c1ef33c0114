// The symbols tool end to end: a real git repository holding the fixture
// projects of every language, the index in a real cache directory, the
// worker threads it runs in.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { languageOf } from '../../tools/symbols/languages.js';
import { createSymbolsTool, symbolsTool, type SymbolsArgs, type SymbolsData } from '../../tools/symbols.js';
import type { ToolContext } from '../../tools/tool.js';
import { readOnlyContext } from './read-only-tool-context.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/symbols');

function fixtureFiles(dir = fixtures): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const absolute = path.join(dir, entry);
    if (statSync(absolute).isFile()) files[entry.split(path.sep).join('/')] = readFileSync(absolute, 'utf8');
  }
  return files;
}

/** Source files among the fixtures (one is a tsconfig.json). */
const FIXTURE_COUNT = Object.keys(fixtureFiles()).filter((file) => languageOf(file)).length;

let repo: TempRepo | undefined;
let cacheDir: string | undefined;

/** A repository with every fixture project (and `extra` files), and an empty cache directory. */
function setUp(extra: Record<string, string> = {}, withFixtures = true): TempRepo {
  repo = makeTempRepo({ ...(withFixtures ? fixtureFiles() : {}), ...extra });
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-cache-'));
  return repo;
}

function tearDown(): void {
  repo?.remove();
  repo = undefined;
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  cacheDir = undefined;
}

async function context(overrides: Partial<ToolContext> = {}): Promise<ToolContext> {
  return { ...(await readOnlyContext(repo!.root)), cacheDir: cacheDir!, ...overrides };
}

async function symbols(args: SymbolsArgs, overrides: Partial<ToolContext> = {}) {
  const result = await symbolsTool.execute(args, await context(overrides));
  return { ...result, data: result.data as SymbolsData };
}

function indexStats(data: SymbolsData) {
  if (data.mode !== 'definitions') throw new Error(`expected definitions, got ${data.mode}`);
  return data.index;
}

const RANKING_FILES = {
  'a/first.ts': 'export function run() {}\n',
  'b/second.ts': 'export function run() {}\nexport function Run() {}\n',
  'c/third.py': 'def run_all():\n    pass\n',
};

// Lookups that change nothing share one repository (and index).
describe('symbols on the fixture projects', () => {
  beforeAll(() => setUp(RANKING_FILES));
  afterAll(tearDown);

  it('finds a definition with its file, line, kind and line of code, building the index on first use', async () => {
    const result = await symbols({ name: 'makeCircle' });
    expect(result.output).toBe(
      'typescript/src/shapes.ts:24 function makeCircle: export function makeCircle(center: Point): Circle {',
    );
    expect(result.summary).toBe('1 definition');
    const files = FIXTURE_COUNT + Object.keys(RANKING_FILES).length;
    expect(indexStats(result.data)).toMatchObject({ files, parsed: files, removed: 0 });
    expect(indexStats((await symbols({ name: 'makeCircle' })).data)).toMatchObject({ files, parsed: 0 });
    const stored = readdirSync(path.join(cacheDir!, 'symbols'));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^gptoss-test-.*\.idx$/);
  });

  it('finds definitions in every language', async () => {
    const lookups: Array<[string, string]> = [
      ['Vector', 'python/pkg/geometry.py:7 class Vector: class Vector:'],
      ['NewPoint', 'go/geo/geo.go:22 function NewPoint: func NewPoint(x, y float64) *Point {'],
      ['Container', 'rust/src/lib.rs:7 trait Container: pub trait Container {'],
      ['Inventory.add', 'java/src/app/Inventory.java:12 method Inventory.add: public void add(String item) {'],
      ['buffer_t', 'c/src/buffer.h:8 type buffer_t: } buffer_t;'],
      ['Toolbar', 'tsx/src/Button.tsx:9 function Toolbar: export const Toolbar = () => ('],
      ['Store', 'javascript/lib/store.js:5 class Store: class Store {'],
    ];
    for (const [name, first] of lookups) {
      expect((await symbols({ name })).output.split('\n')[0]).toBe(first);
    }
    // An owner narrows to its members: the declaration in the class and the definition outside it.
    expect((await symbols({ name: 'Counter::increment' })).output).toBe(
      [
        'cpp/src/counter.cpp:9 method Counter.increment: void Counter::increment() {',
        'cpp/src/counter.hpp:6 method Counter.increment: void increment();',
      ].join('\n'),
    );
  });

  it('puts exact names first, then those near the files the model worked on', async () => {
    const plain = (await symbols({ name: 'run' })).output.split('\n');
    expect(plain.slice(0, 4)).toEqual([
      'a/first.ts:1 function run: export function run() {}',
      'b/second.ts:1 function run: export function run() {}',
      'rust/src/lib.rs:34 function run: pub fn run() -> usize {',
      'b/second.ts:2 function Run: export function Run() {}',
    ]);
    expect(plain.at(-1)).toBe('[Names containing it: run_all]');
    const near = (await symbols({ name: 'run' }, { recentPaths: ['rust/src/main.rs', 'b/second.ts'] })).output;
    expect(near.split('\n').slice(0, 3)).toEqual([
      'b/second.ts:1 function run: export function run() {}',
      'rust/src/lib.rs:34 function run: pub fn run() -> usize {',
      'a/first.ts:1 function run: export function run() {}',
    ]);
  });

  it('offers names that contain the one asked for when none matches it', async () => {
    const result = await symbols({ name: 'circ' });
    expect(result.output).toBe(
      [
        '[No definition named circ; names containing it:]',
        'typescript/src/shapes.ts:12 class Circle: export class Circle implements Shape {',
        'typescript/src/shapes.ts:24 function makeCircle: export function makeCircle(center: Point): Circle {',
      ].join('\n'),
    );
  });

  it('limits the search to a file or directory', async () => {
    const result = await symbols({ name: 'len', file: 'rust' });
    expect(result.output.split('\n')).toEqual([
      'rust/src/lib.rs:8 method Container.len: fn len(&self) -> usize;',
      'rust/src/lib.rs:18 method Stack.len: fn len(&self) -> usize {',
    ]);
    expect((await symbols({ name: 'len', file: 'go' })).output).toMatch(/^No definition of len in go among/);
  });

  it('still answers when the index cannot be saved, and says why', async () => {
    const notADirectory = path.join(repo!.root, 'typescript/tsconfig.json');
    const result = await symbols({ name: 'TAU' }, { cacheDir: notADirectory });
    expect(result.output.split('\n')).toEqual([
      'python/pkg/geometry.py:4 variable TAU: TAU = math.pi * 2',
      expect.stringMatching(
        /^\[Note: The symbol index could not be saved to .*ENOTDIR.*check that the cache directory is writable\.\]$/,
      ),
    ]);
  });

  it('works without a cache directory (the index lives for one call)', async () => {
    const result = await symbols({ name: 'TAU' }, { cacheDir: undefined });
    expect(result.output).toBe('python/pkg/geometry.py:4 variable TAU: TAU = math.pi * 2');
  });

  it('lists the definitions of a file, nested ones indented', async () => {
    const result = await symbols({ file: 'java/src/app/Inventory.java' });
    expect(result.output).toBe(
      [
        'java/src/app/Inventory.java: 12 definitions',
        '1 package app: package app;',
        '6 class Inventory: public class Inventory {',
        '  7 field MAX: public static final int MAX = 100;',
        '  8 field items: private final List<String> items = new ArrayList<>();',
        '  10 method Inventory: public Inventory() {}',
        '  12 method add: public void add(String item) {',
        '  16 method count: public int count() {',
        '  20 enum Kind: enum Kind { TOOL, PART }',
        '    20 enumerator TOOL: enum Kind { TOOL, PART }',
        '    20 enumerator PART: enum Kind { TOOL, PART }',
        '  22 interface Listener: interface Listener {',
        '    23 method changed: void changed(Inventory inventory);',
      ].join('\n'),
    );
  });

  it('explains what it cannot outline', async () => {
    await expect(symbols({ file: 'rust' })).rejects.toThrow(/^rust is a directory\. Give a file for its outline/);
    await expect(symbols({ file: 'typescript/tsconfig.json' })).rejects.toThrow(
      /^typescript\/tsconfig\.json is not in a language symbols reads/,
    );
    await expect(symbols({ file: 'rust/src/lib.rx' })).rejects.toThrow(
      /^No file rust\/src\/lib\.rx\. Did you mean rust\/src\/lib\.rs\?/,
    );
    await expect(symbols({})).rejects.toThrow(/^Give name/);
    await expect(symbols({ references: true })).rejects.toThrow(/^references needs a name/);
    await expect(symbols({ name: 'two words' })).rejects.toThrow(/is not a symbol name/);
  });

  it('lists the uses of a name in code, by file, with the kind of use', async () => {
    const result = await symbols({ name: 'makeCircle', references: true });
    expect(result.output).toBe(
      [
        'typescript/src/main.ts',
        "  1 import: import { makeCircle, scale, type Point } from './shapes';",
        '  8 call: const circle = makeCircle(origin);',
      ].join('\n'),
    );
    expect(result.summary).toBe('2 references in 1 file');
  });

  it('lists the same uses with git grep where ripgrep is not installed', async () => {
    const withoutRipgrep = createSymbolsTool({ findRipgrep: async () => undefined });
    const result = await withoutRipgrep.execute({ name: 'makeCircle', references: true }, await context());
    expect(result.output).toBe(
      [
        'typescript/src/main.ts',
        "  1 import: import { makeCircle, scale, type Point } from './shapes';",
        '  8 call: const circle = makeCircle(origin);',
      ].join('\n'),
    );
  });

  it('says when a name is used nowhere in code', async () => {
    const result = await symbols({ name: 'buffer_new', references: true, file: 'c/src/buffer.c' });
    expect(result.output).toMatch(/^No references to buffer_new in c\/src\/buffer\.c in code/);
  });
});

describe('symbols as the repository changes', () => {
  afterEach(tearDown);

  it('stops when the call is interrupted', async () => {
    setUp();
    const controller = new AbortController();
    const lookup = symbols({ name: 'Vector' }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('interrupted by the user')), 50);
    await expect(lookup).rejects.toThrow('interrupted by the user');
  });

  it('re-parses only the files that changed, and forgets deleted ones', async () => {
    setUp();
    await symbols({ name: 'dot' });
    const again = await symbols({ name: 'dot' });
    expect(indexStats(again.data)).toMatchObject({ parsed: 0, removed: 0 });

    repo!.write('python/pkg/use.py', 'def total():\n    return 0\n\n\ndef freshly_added():\n    return 1\n');
    const edited = await symbols({ name: 'freshly_added' });
    expect(edited.output).toBe('python/pkg/use.py:5 function freshly_added: def freshly_added():');
    expect(indexStats(edited.data)).toMatchObject({ parsed: 1, parsedFiles: ['python/pkg/use.py'] });

    rmSync(path.join(repo!.root, 'go/main.go'));
    const removed = await symbols({ name: 'main' });
    expect(indexStats(removed.data)).toMatchObject({ parsed: 0, removed: 1, files: FIXTURE_COUNT - 1 });
    expect(removed.output).not.toContain('go/main.go');
  });

  it('leaves out ignored, minified, generated and very large files, and says so', async () => {
    setUp(
      {
        '.gitignore': 'build/\n',
        'build/out.ts': 'export function ignoredHelper() {}\n',
        'web/app.min.js': 'function minifiedHelper(){}\n',
        'gen/api.go': '// Code generated by protoc-gen-go. DO NOT EDIT.\npackage gen\n\nfunc generatedHelper() {}\n',
        'big/huge.ts': `export function hugeHelper() {}\n${'// padding\n'.repeat(100_000)}`,
        'src/ok.ts': 'export const ok = 1;\n',
      },
      false,
    );
    for (const name of ['ignoredHelper', 'minifiedHelper', 'generatedHelper', 'hugeHelper']) {
      const result = await symbols({ name });
      expect(result.output).toMatch(new RegExp(`^No definition of ${name} among`));
      expect(result.output).toContain('[3 files not indexed (');
    }
    const stats = indexStats((await symbols({ name: 'x' })).data);
    expect(stats.skipped).toEqual({ minified: 1, generated: 1, large: 1 });
  });
});
