import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';
import { findExecutable } from '../../../tools/processes/find-executable.js';

let dir: TempRepo;
afterEach(() => dir?.remove());

describe.skipIf(process.platform === 'win32')('findExecutable', () => {
  it('finds the first executable of that name on PATH, skipping plain files and directories', () => {
    dir = makeTempRepo({ 'a/rg': 'not executable', 'c/rg': '#!/bin/sh\n' }, { git: false });
    mkdirSync(path.join(dir.root, 'b', 'rg'), { recursive: true });
    chmodSync(path.join(dir.root, 'c', 'rg'), 0o755);
    const PATH = ['a', 'b', 'c'].map((d) => path.join(dir.root, d)).join(path.delimiter);
    expect(findExecutable('rg', { PATH })).toBe(path.join(dir.root, 'c', 'rg'));
    expect(findExecutable('rg', { PATH: path.join(dir.root, 'a') })).toBeUndefined();
    expect(findExecutable('rg', {})).toBeUndefined();
  });
});
