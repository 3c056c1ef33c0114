// The tags queries of every language, run by the tag reader on the fixture
// projects under test/fixtures/symbols: exact definitions (line, kind,
// owner.name) and references found in code only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { languageOf } from '../../../tools/symbols/languages.js';
import { TagReader } from '../../../tools/symbols/tags.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/symbols');
let reader: TagReader;
beforeAll(async () => {
  reader = await TagReader.create();
});

async function definitionsOf(file: string): Promise<string[]> {
  const found = await reader.definitions(languageOf(file)!, readFileSync(path.join(fixtures, file), 'utf8'));
  return found!.map((d) => `${d.line} ${d.kind} ${d.container ? `${d.container}.` : ''}${d.name}`);
}

async function referencesTo(file: string, name: string): Promise<string[]> {
  const found = await reader.references(languageOf(file)!, readFileSync(path.join(fixtures, file), 'utf8'), name);
  return found!.map((r) => `${r.line} ${r.kind}`);
}

describe('definitions', () => {
  it('TypeScript', async () => {
    expect(await definitionsOf('typescript/src/shapes.ts')).toEqual([
      '1 interface Shape',
      '2 method Shape.area',
      '5 type Point',
      '5 property Point.x',
      '5 property Point.y',
      '7 enum Color',
      '8 enumerator Color.Red',
      '9 enumerator Color.Green',
      '12 class Circle',
      '13 property Circle.radius',
      '15 method Circle.constructor',
      '15 property Circle.center',
      '17 method Circle.area',
      '22 constant UNIT',
      '24 function makeCircle',
      '28 function scale',
      '30 namespace Geometry',
      '31 variable Geometry.EPSILON',
    ]);
    // Locals inside functions are not definitions.
    expect(await definitionsOf('typescript/src/main.ts')).not.toContain('8 constant main.circle');
  });

  it('TSX', async () => {
    expect(await definitionsOf('tsx/src/Button.tsx')).toEqual([
      '1 interface ButtonProps',
      '2 property ButtonProps.label',
      '5 function Button',
      '9 function Toolbar',
    ]);
  });

  it('JavaScript', async () => {
    expect(await definitionsOf('javascript/lib/store.js')).toEqual([
      '3 constant DEFAULT_LIMIT',
      '5 class Store',
      '6 field Store.#items',
      '8 method Store.constructor',
      '9 field Store.limit',
      '12 method Store.add',
      '17 method Store.size',
      '22 function createStore',
      '26 property createStore',
      '26 property Store',
    ]);
  });

  it('Python', async () => {
    expect(await definitionsOf('python/pkg/geometry.py')).toEqual([
      '4 variable TAU',
      '7 class Vector',
      '8 field Vector.dims',
      '10 method Vector.__init__',
      '15 method Vector.length',
      '19 function dot',
      '24 function fetch_vector',
    ]);
    expect(await definitionsOf('python/pkg/use.py')).toEqual(['4 function total']);
  });

  it('Go', async () => {
    expect(await definitionsOf('go/geo/geo.go')).toEqual([
      '1 package geo',
      '6 constant Origin',
      '8 variable Count',
      '10 struct Point',
      '11 field Point.X',
      '11 field Point.Y',
      '14 interface Shape',
      '15 method Shape.Area',
      '18 method Point.Dist',
      '22 function NewPoint',
    ]);
  });

  it('Rust', async () => {
    expect(await definitionsOf('rust/src/lib.rs')).toEqual([
      '1 constant LIMIT',
      '3 struct Stack',
      '4 field Stack.items',
      '7 trait Container',
      '8 method Container.len',
      '11 impl Stack',
      '12 method Stack.new',
      '17 impl Stack',
      '18 method Stack.len',
      '23 enum Op',
      '24 enumerator Op.Push',
      '25 enumerator Op.Pop',
      '28 macro square',
      '34 function run',
    ]);
  });

  it('Java', async () => {
    expect(await definitionsOf('java/src/app/Inventory.java')).toEqual([
      '1 package app',
      '6 class Inventory',
      '7 field Inventory.MAX',
      '8 field Inventory.items',
      '10 method Inventory.Inventory',
      '12 method Inventory.add',
      '16 method Inventory.count',
      '20 enum Inventory.Kind',
      '20 enumerator Kind.TOOL',
      '20 enumerator Kind.PART',
      '22 interface Inventory.Listener',
      '23 method Listener.changed',
    ]);
  });

  it('C (headers are read as C++)', async () => {
    expect(await definitionsOf('c/src/buffer.c')).toEqual([
      '4 variable created',
      '6 function buffer_new',
      '12 function buffer_append',
    ]);
    expect(await definitionsOf('c/src/buffer.h')).toEqual([
      '2 macro BUFFER_H',
      '3 macro BUFFER_MAX',
      '5 struct buffer',
      '6 field buffer.data',
      '7 field buffer.length',
      '8 type buffer_t',
      '10 enum mode',
      '10 enumerator mode.MODE_READ',
      '10 enumerator mode.MODE_WRITE',
      '12 prototype buffer_new',
      '13 prototype buffer_append',
    ]);
  });

  it('C++', async () => {
    expect(await definitionsOf('cpp/src/counter.hpp')).toEqual([
      '1 namespace util',
      '3 class util.Counter',
      '5 prototype Counter.Counter',
      '6 method Counter.increment',
      '7 method Counter.value',
      '10 field Counter.value_',
      '13 struct util.Node',
      '14 field Node.value',
      '15 field Node.next',
    ]);
    expect(await definitionsOf('cpp/src/counter.cpp')).toEqual([
      '3 namespace util',
      '5 variable util.total_increments',
      '7 method Counter.Counter',
      '9 method Counter.increment',
    ]);
  });

  it('recovers the definitions around broken syntax', async () => {
    const source = [
      'export function before(): number {',
      '  return 1;',
      '}',
      '',
      'export function broken(: {',
      '  let = ;',
      '',
      'export class After {',
      '  method(): void {}',
      '}',
    ].join('\n');
    const found = (await reader.definitions('typescript', source))!.map((d) => `${d.line} ${d.kind} ${d.name}`);
    expect(found).toContain('1 function before');
    expect(found).toContain('8 class After');
    expect(found).toContain('9 method method');
  });
});

describe('the lines a definition spans', () => {
  async function spans(file: string): Promise<string[]> {
    const found = await reader.definitions(languageOf(file)!, readFileSync(path.join(fixtures, file), 'utf8'));
    return found!.map((d) => `${d.container ? `${d.container}.` : ''}${d.name} ${d.startLine}-${d.endLine}`);
  }

  it('runs from the first line of the declaration to its last', async () => {
    expect(await spans('typescript/src/shapes.ts')).toEqual(
      expect.arrayContaining([
        'Color 7-10',
        'Circle 12-20',
        'Circle.radius 13-13',
        'Circle.area 17-19',
        'makeCircle 24-26',
      ]),
    );
    // A Python decorator belongs to the function under it.
    expect(await spans('python/pkg/geometry.py')).toEqual([
      'TAU 4-4',
      'Vector 7-16',
      'Vector.dims 8-8',
      'Vector.__init__ 10-12',
      'Vector.length 14-16',
      'dot 19-21',
      'fetch_vector 24-25',
    ]);
  });
});

describe('references', () => {
  it('finds calls, imports and type uses, never comments, strings or the definition', async () => {
    // main.ts mentions makeCircle in a comment (line 3) and a string (line 5) too.
    expect(await referencesTo('typescript/src/main.ts', 'makeCircle')).toEqual(['1 import', '8 call']);
    expect(await referencesTo('typescript/src/shapes.ts', 'Circle')).toEqual(['24 type', '25 class']);
    expect(await referencesTo('python/pkg/geometry.py', 'dot')).toEqual([]);
    expect(await referencesTo('python/pkg/use.py', 'Vector')).toEqual(['1 import', '5 call']);
    expect(await referencesTo('go/main.go', 'NewPoint')).toEqual(['6 call']);
    expect(await referencesTo('c/src/buffer.c', 'buffer_new')).toEqual([]);
    expect(await referencesTo('cpp/src/counter.cpp', 'value_')).toEqual(['7 use', '10 use']);
    expect(await referencesTo('rust/src/lib.rs', 'square')).toEqual(['36 macro']);
    expect(await referencesTo('java/src/app/Inventory.java', 'items')).toEqual(['13 use', '17 use']);
    expect(await referencesTo('tsx/src/Button.tsx', 'Button')).toEqual(['11 use']);
    expect(await referencesTo('javascript/index.mjs', 'createStore')).toEqual(['1 import', '3 call']);
  });

  it('looks only at the rows it is given', async () => {
    const source = readFileSync(path.join(fixtures, 'typescript/src/main.ts'), 'utf8');
    const found = await reader.references('typescript', source, 'makeCircle', [7]);
    expect(found).toEqual([{ name: 'makeCircle', line: 8, kind: 'call', text: 'const circle = makeCircle(origin);' }]);
  });

  it('finds several names in one pass, each use under its own name', async () => {
    const source = readFileSync(path.join(fixtures, 'typescript/src/main.ts'), 'utf8');
    const found = await reader.references('typescript', source, new Set(['makeCircle', 'scale']));
    expect(found!.map((r) => `${r.line} ${r.kind} ${r.name}`)).toEqual([
      '1 import makeCircle',
      '1 import scale',
      '8 call makeCircle',
      '9 call scale',
    ]);
  });
});
