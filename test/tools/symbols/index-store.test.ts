import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  decodeDefinitions,
  encodeDefinitions,
  indexFileFor,
  loadIndex,
  saveIndex,
  type IndexFiles,
} from '../../../tools/symbols/index-store.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the symbol index on disk', () => {
  it('keeps one index per repository, named after it', () => {
    const a = indexFileFor('/cache', '/home/me/project');
    expect(a).toMatch(/^\/cache\/symbols\/project-[0-9a-f]{16}\.idx$/);
    expect(indexFileFor('/cache', '/home/other/project')).not.toBe(a);
  });

  it('reads back what it wrote, unicode and all', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-index-'));
    const file = path.join(dir, 'symbols', 'x.idx');
    const block = encodeDefinitions([
      { name: 'größe😀', kind: 'function', line: 3, startLine: 2, endLine: 7 },
      { name: 'area', kind: 'method', line: 9, startLine: 9, endLine: 9, container: 'Circle' },
    ]);
    const files: IndexFiles = new Map([
      ['src/ü.py', { size: 120, mtime: '1712345678901234567', block }],
      ['web/app.min.js', { size: 9000, mtime: '1', skipped: 'minified', block: '' }],
    ]);
    saveIndex(file, 'schema-1', files);
    const loaded = loadIndex(file, 'schema-1')!;
    expect(loaded).toEqual(files);
    expect(decodeDefinitions(loaded.get('src/ü.py')!.block)).toEqual([
      { name: 'größe😀', kind: 'function', line: 3, startLine: 2, endLine: 7 },
      { name: 'area', kind: 'method', line: 9, startLine: 9, endLine: 9, container: 'Circle' },
    ]);
  });

  it('leaves no temporary file behind when the index cannot be put in place', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-index-'));
    const file = path.join(dir, 'x.idx');
    mkdirSync(file);
    const files: IndexFiles = new Map([['a.ts', { size: 1, mtime: '1', block: '' }]]);
    expect(() => saveIndex(file, 'schema-1', files)).toThrow(/EISDIR|directory/);
    expect(readdirSync(dir)).toEqual(['x.idx']);
  });

  it('treats an index made by other queries or grammars, or a damaged one, as missing', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-index-'));
    const file = path.join(dir, 'x.idx');
    const files: IndexFiles = new Map([
      ['a.ts', { size: 1, mtime: '1', block: 'a\tfunction\t1\t\tfunction a() {}\n' }],
    ]);
    saveIndex(file, 'schema-1', files);
    expect(loadIndex(file, 'schema-2')).toBeUndefined();
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, -5));
    expect(loadIndex(file, 'schema-1')).toBeUndefined();
    expect(loadIndex(path.join(dir, 'none.idx'), 'schema-1')).toBeUndefined();
  });
});
