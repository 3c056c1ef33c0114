// Whether a gpt-oss model fits this machine's memory, and where it would run.
import { formatBytes } from '../../tools/text/format-bytes.js';
import type { KnownModel } from '../model/known-models.js';
import type { CheckResult } from './check.js';
import type { MachineInfo } from './compute-check.js';

export function checkFit(model: KnownModel, machine: MachineInfo): CheckResult {
  const need = model.memoryBytes;
  const label = model.name;
  const needs = `needs about ${formatBytes(need)}`;
  if (machine.backend !== 'CPU' && machine.vramTotal >= need) {
    const where = machine.unifiedMemory ? 'unified memory' : 'GPU memory';
    return { label, status: 'ok', detail: `fits in ${where} (${needs}, ${formatBytes(machine.vramTotal)} there)` };
  }
  if (machine.backend !== 'CPU' && !machine.unifiedMemory && machine.vramTotal + machine.ramTotal >= need) {
    return {
      label,
      status: 'info',
      detail: `fits split between GPU memory and RAM (${needs}): runs, more slowly than on the GPU alone`,
    };
  }
  if (machine.ramTotal >= need) {
    return {
      label,
      status: 'info',
      detail: `runs on the CPU from RAM (${needs}, ${formatBytes(machine.ramTotal)} RAM): slow`,
    };
  }
  return {
    label,
    status: 'info',
    detail: `does not fit (${needs}; this machine has ${formatBytes(machine.ramTotal)} RAM${machine.vramTotal > 0 && !machine.unifiedMemory ? ` and ${formatBytes(machine.vramTotal)} GPU memory` : ''})`,
    fix: 'Run it on a bigger machine and connect with --endpoint URL.',
  };
}
