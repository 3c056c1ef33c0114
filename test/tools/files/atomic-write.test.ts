import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically, writeFileAtomicallySync } from '../../../tools/files/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomicallySync', () => {
  it('writes every piece in order, replacing the old file, and leaves only the file', () => {
    const file = path.join(dir, 'index');
    writeFileSync(file, 'old contents');
    const big = 'é'.repeat(300_000);
    writeFileAtomicallySync(file, (write) => {
      write('first\n');
      write(Buffer.from('second\n'));
      write(big);
    });
    expect(readFileSync(file, 'utf8')).toBe(`first\nsecond\n${big}`);
    expect(readdirSync(dir)).toEqual(['index']);
  });

  it('keeps the old file and removes the temporary one when writing fails part way', () => {
    const file = path.join(dir, 'index');
    writeFileSync(file, 'old contents');
    expect(() =>
      writeFileAtomicallySync(file, (write) => {
        write('half of the new');
        throw new Error('no space left on device');
      }),
    ).toThrow('no space left on device');
    expect(readFileSync(file, 'utf8')).toBe('old contents');
    expect(readdirSync(dir)).toEqual(['index']);
  });

  it('removes the temporary file when the rename fails', () => {
    const taken = path.join(dir, 'taken');
    mkdirSync(path.join(taken, 'inside'), { recursive: true });
    expect(() => writeFileAtomicallySync(taken, (write) => write('x'))).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('gives the file exactly the mode asked for', () => {
    const file = path.join(dir, 'blob');
    writeFileAtomicallySync(file, (write) => write('secret'), { mode: 0o600, fsync: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileAtomicallySync(file, (write) => write('shared'), { mode: 0o775 });
    expect(statSync(file).mode & 0o777).toBe(0o775);
  });

  it('replaces a link at the name instead of writing through it', () => {
    const outside = path.join(dir, 'outside');
    writeFileSync(outside, 'not yours');
    const file = path.join(dir, 'hook');
    symlinkSync(outside, file);
    writeFileAtomicallySync(file, (write) => write('ours'));
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('ours');
    expect(readFileSync(outside, 'utf8')).toBe('not yours');
  });
});

describe('writeFileAtomically', () => {
  it('writes the file whole, replacing a link at the name, with the mode asked for', async () => {
    const outside = path.join(dir, 'outside');
    writeFileSync(outside, 'not yours');
    const file = path.join(dir, 'pre-commit');
    symlinkSync(outside, file);
    await writeFileAtomically(file, '#!/bin/sh\n', { mode: 0o755 });
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('#!/bin/sh\n');
    expect(statSync(file).mode & 0o777).toBe(0o755);
    expect(readFileSync(outside, 'utf8')).toBe('not yours');
    expect(readdirSync(dir).sort()).toEqual(['outside', 'pre-commit']);
  });

  it('keeps what was there and leaves no temporary file when the rename fails', async () => {
    const taken = path.join(dir, 'config.json');
    mkdirSync(path.join(taken, 'inside'), { recursive: true });
    await expect(writeFileAtomically(taken, '{}')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['config.json']);
    expect(readdirSync(taken)).toEqual(['inside']);
  });

  it('says so when the folder is missing, and makes nothing', async () => {
    await expect(writeFileAtomically(path.join(dir, 'missing', 'x.json'), '{}')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
