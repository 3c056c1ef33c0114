// Doctor checks with real programs: a stand-in bwrap on PATH, and the fit
// of each gpt-oss model on machines of known sizes.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MachineInfo } from '../../src/doctor/compute-check.js';
import { checkFit } from '../../src/doctor/fit-check.js';
import { checkSandbox } from '../../src/doctor/sandbox-check.js';
import { checkRipgrep } from '../../src/doctor/tool-checks.js';
import { KNOWN_MODELS } from '../../src/model/known-models.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A PATH holding one fake `bwrap` that behaves as `script` says. */
function pathWithBwrap(script?: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-bwrap-'));
  dirs.push(dir);
  if (script !== undefined) {
    writeFileSync(path.join(dir, 'bwrap'), `#!/bin/sh\n${script}\n`);
    chmodSync(path.join(dir, 'bwrap'), 0o755);
  }
  return { PATH: dir };
}

describe('checkSandbox', () => {
  it('passes when bwrap runs the probe', async () => {
    const env = pathWithBwrap('exit 0');
    expect(await checkSandbox(env, 'linux')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('bubblewrap works'),
    });
  });

  it('warns where the sandbox has no seccomp filter for the processor', async () => {
    const result = await checkSandbox(pathWithBwrap('exit 0'), 'linux', 'riscv64');
    expect(result).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/bubblewrap works .*, but the sandbox has no seccomp filter for riscv64/),
    });
  });

  it('says how to install bubblewrap when it is missing', async () => {
    const result = await checkSandbox(pathWithBwrap(), 'linux');
    expect(result).toMatchObject({ status: 'warn', detail: expect.stringMatching(/not installed/) });
    expect(result.fix).toContain('apt install bubblewrap');
  });

  it('warns, with the reason, when bwrap may not create its sandbox', async () => {
    const env = pathWithBwrap(
      'echo "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2; exit 1',
    );
    const result = await checkSandbox(env, 'linux');
    expect(result.status).toBe('warn');
    expect(result.fix).toBeTruthy();
  });

  it('explains that the sandbox is Linux-only elsewhere', async () => {
    expect(await checkSandbox({}, 'darwin')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('Linux'),
    });
  });
});

describe('checkRipgrep', () => {
  it('names the fallback when ripgrep is missing', async () => {
    const result = await checkRipgrep(async () => undefined);
    expect(result).toMatchObject({ status: 'warn', detail: expect.stringContaining('git grep') });
    expect(result.fix).toContain('Install ripgrep');
  });
});

describe('checkFit', () => {
  const GB = 1e9;
  const [model20b, model120b] = KNOWN_MODELS;
  const machine = (overrides: Partial<MachineInfo>): MachineInfo => ({
    backend: 'CPU',
    gpus: [],
    vramTotal: 0,
    vramFree: 0,
    unifiedMemory: false,
    ramTotal: 16 * GB,
    ramFree: 8 * GB,
    ...overrides,
  });

  it('fits 20b in an 80 GB GPU and 120b too', () => {
    const h100 = machine({ backend: 'CUDA', gpus: ['NVIDIA H100'], vramTotal: 80 * GB, ramTotal: 128 * GB });
    expect(checkFit(model20b!, h100)).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('fits in GPU memory'),
    });
    expect(checkFit(model120b!, h100)).toMatchObject({ status: 'ok' });
  });

  it('runs 20b from RAM on a CPU-only laptop and says it is slow; 120b does not fit', () => {
    const laptop = machine({ ramTotal: 32 * GB });
    expect(checkFit(model20b!, laptop).detail).toMatch(/runs on the CPU from RAM .*slow/);
    expect(checkFit(model120b!, laptop).detail).toMatch(/^does not fit/);
    expect(checkFit(model120b!, laptop).fix).toContain('--endpoint');
  });

  it('splits a model between a small GPU and RAM', () => {
    const gaming = machine({ backend: 'CUDA', vramTotal: 8 * GB, ramTotal: 32 * GB });
    expect(checkFit(model20b!, gaming).detail).toMatch(/split between GPU memory and RAM/);
  });

  it('counts unified memory on Apple silicon', () => {
    const mac = machine({ backend: 'Metal', vramTotal: 48 * GB, unifiedMemory: true, ramTotal: 64 * GB });
    expect(checkFit(model20b!, mac).detail).toContain('fits in unified memory');
  });
});
