// The user's sandbox limits reach the Sandbox every tool call uses.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { toolServices } from '../../src/modes/agent-setup.js';
import { DEFAULT_PROCESSES } from '../../tools/sandbox/limits.js';

describe('the sandbox the tools get', () => {
  it('has the limits of the user config', () => {
    const services = toolServices(process.env, { sandboxMemoryMB: 300, sandboxProcesses: 50 }, true, os.tmpdir());
    expect(services.sandbox?.limits).toEqual({ memoryMB: 300, processes: 50 });
  });

  it('has half the memory and a few thousand processes by default', () => {
    const services = toolServices(process.env, {}, true, os.tmpdir());
    expect(services.sandbox?.limits).toEqual({
      memoryMB: Math.max(1024, Math.floor(os.totalmem() / 2 / 2 ** 20)),
      processes: DEFAULT_PROCESSES,
    });
  });
});
