// The mount points the sandbox makes for protected directories a repository
// lacks: made once however many commands run, removed when the last ends,
// and never removed with something in them.
import { mkdirSync, mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MountPoints } from '../../../tools/sandbox/mount-points.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function root(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-mount-points-'));
  dirs.push(dir);
  return dir;
}

describe('mount points', () => {
  it('are made for the missing names only and removed when the last command ends', () => {
    const dir = root();
    mkdirSync(path.join(dir, '.git'));
    const points = new MountPoints();
    const first = points.acquire(dir, ['.git', '.gptoss-agent'], existsSync);
    const second = points.acquire(dir, ['.git', '.gptoss-agent'], existsSync);
    expect(existsSync(path.join(dir, '.gptoss-agent'))).toBe(true);
    first();
    expect(existsSync(path.join(dir, '.gptoss-agent'))).toBe(true);
    second();
    expect(existsSync(path.join(dir, '.gptoss-agent'))).toBe(false);
    expect(existsSync(path.join(dir, '.git'))).toBe(true);
  });

  it('keep a directory someone filled meanwhile', () => {
    const dir = root();
    const release = new MountPoints().acquire(dir, ['.gptoss-agent'], existsSync);
    writeFileSync(path.join(dir, '.gptoss-agent', 'config.json'), '{}');
    release();
    expect(existsSync(path.join(dir, '.gptoss-agent', 'config.json'))).toBe(true);
  });

  it('give up quietly where the directory cannot be made', () => {
    const dir = root();
    writeFileSync(path.join(dir, 'file'), '');
    const release = new MountPoints().acquire(path.join(dir, 'file'), ['.gptoss-agent'], existsSync);
    release();
    expect(existsSync(path.join(dir, 'file'))).toBe(true);
  });
});
