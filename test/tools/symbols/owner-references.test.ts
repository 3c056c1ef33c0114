// symbols {name: "Owner.name", references: true}: uses on the owner first,
// uses on an object of unknown type marked as name-only matches, and a
// bare name elsewhere (a local variable) or a member of another class left out.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { symbolsTool, type SymbolsArgs } from '../../../tools/symbols.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';
import { readOnlyContext } from '../read-only-tool-context.js';

const FILES = {
  'src/cart.js': [
    'export class Cart {',
    '  constructor() { this.total = 0; }',
    '  add(price) { this.total += price; }',
    '  static empty() { return Cart.total === 0; }',
    '}',
    'export class Order {',
    '  sum() { return this.total; }',
    '}',
    '',
  ].join('\n'),
  'src/report.js': [
    "import { Cart } from './cart.js';",
    'export function report(items, cart) {',
    '  let total = 0;',
    '  for (const item of items) total += item;',
    '  return cart.total + total;',
    '}',
    '',
  ].join('\n'),
  // A bare name and a member access on one line: the member access is the line's use.
  'java/Cart.java': [
    'class Cart {',
    '  int total;',
    '  void add(int p) { total += p; this.total += p; }',
    '}',
    'class Other { int f(Cart c) { int total = 0; return c.total + total; } }',
    '',
  ].join('\n'),
  'app/cart.py': [
    'class Cart:',
    '    def add(self, price):',
    '        self.total += price',
    '',
    'def summary(basket):',
    '    total = 0',
    '    return basket.total + total',
    '',
  ].join('\n'),
};

let repo: TempRepo;
let cacheDir: string;
beforeAll(() => {
  repo = makeTempRepo(FILES);
  cacheDir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-cache-'));
});
afterAll(() => {
  repo.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

async function symbols(args: SymbolsArgs) {
  return symbolsTool.execute(args, { ...(await readOnlyContext(repo.root)), cacheDir });
}

describe('references to a qualified name', () => {
  // this.total = 0 in the constructor defines the field: definitions are never listed as uses.
  it('lists uses on the owner first, marks uses on unknown objects, and leaves out locals and other classes', async () => {
    const result = await symbols({ name: 'Cart.total', references: true });
    const lines = result.output.split('\n');
    expect(lines.filter((line) => /^ {2}\d/.test(line))).toEqual([
      '  3 use: self.total += price',
      '  3 use: void add(int p) { total += p; this.total += p; }',
      '  3 use: add(price) { this.total += price; }',
      '  4 use: static empty() { return Cart.total === 0; }',
      '  7 use (name only): return basket.total + total',
      '  5 use (name only): class Other { int f(Cart c) { int total = 0; return c.total + total; } }',
      '  5 use (name only): return cart.total + total;',
    ]);
    expect(result.output).toContain('4 uses confirmed on Cart, listed first; 3 uses marked "name only"');
    expect(result.output).not.toContain('let total');
    expect(result.output).not.toContain('sum() { return this.total; }');
  });

  it('still lists every use of an unqualified name', async () => {
    const result = await symbols({ name: 'total', references: true, file: 'src/report.js' });
    expect(result.output).toContain('  3 ');
    expect(result.output).toContain('  5 ');
    expect(result.output).not.toContain('name only');
  });
});
