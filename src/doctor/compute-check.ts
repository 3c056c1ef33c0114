// What node-llama-cpp can run the model on here: the compute backend it
// picks (CUDA, Vulkan, Metal or CPU), the GPUs and their memory, and RAM.
import os from 'node:os';
import { formatBytes } from '../../tools/text/format-bytes.js';
import { computeBackendName } from '../model/embedded-runtime.js';
import type { CheckResult } from './check.js';

export interface MachineInfo {
  /** "CUDA", "Vulkan", "Metal" or "CPU". */
  backend: string;
  gpus: string[];
  vramTotal: number;
  vramFree: number;
  /** Apple silicon: the GPU shares the RAM. */
  unifiedMemory: boolean;
  ramTotal: number;
  ramFree: number;
}

export interface ComputeFindings {
  machine?: MachineInfo;
  results: CheckResult[];
}

export async function checkCompute(): Promise<ComputeFindings> {
  const ram = { total: os.totalmem(), free: os.freemem() };
  const memory: CheckResult = {
    label: 'memory',
    status: 'ok',
    detail: `RAM ${formatBytes(ram.total)} (${formatBytes(ram.free)} free)`,
  };
  let llama: import('node-llama-cpp').Llama;
  try {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    llama = await getLlama({ gpu: 'auto', build: 'never', logLevel: LlamaLogLevel.disabled });
  } catch (error) {
    return {
      results: [
        {
          label: 'compute',
          status: 'fail',
          detail: `node-llama-cpp cannot start llama.cpp here: ${error instanceof Error ? error.message : String(error)}`,
          fix: 'Reinstall the agent (npm install) or build llama.cpp: npx --no node-llama-cpp source build. Or use a server: --endpoint URL.',
        },
        memory,
      ],
    };
  }
  try {
    const vram = await llama.getVramState();
    const gpus = llama.gpu === false ? [] : await llama.getGpuDeviceNames().catch(() => []);
    const backend = computeBackendName(llama.gpu);
    const machine: MachineInfo = {
      backend,
      gpus,
      vramTotal: vram.total,
      vramFree: vram.free,
      unifiedMemory: vram.unifiedSize > 0,
      ramTotal: ram.total,
      ramFree: ram.free,
    };
    const compute: CheckResult =
      llama.gpu === false
        ? {
            label: 'compute',
            status: 'info',
            detail: `CPU (${llama.cpuMathCores} cores); no supported GPU found, so generation is slow`,
            fix: 'With an NVIDIA GPU, install its driver (CUDA) or Vulkan drivers, then run doctor again.',
          }
        : {
            label: 'compute',
            status: 'ok',
            detail: `${backend}: ${gpus.join(', ') || 'GPU'}, ${formatBytes(vram.total)} GPU memory (${formatBytes(vram.free)} free)`,
          };
    return { machine, results: [compute, memory] };
  } finally {
    await llama.dispose();
  }
}
