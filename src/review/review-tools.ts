// The tools a review gives the model: reading and searching, the symbol
// index and the sandboxed test runner when this build has them, and never
// anything that edits (apply_patch, shell and the git tool's commit are left out).
import type { Tool } from '../../tools/tool.js';

export const REVIEW_TOOL_NAMES = ['read_file', 'grep', 'symbols', 'run_tests'] as const;

/** The review's tools from `available`, in its order; edit tools are never taken. */
export function reviewTools(available: readonly Tool[]): Tool[] {
  const wanted = new Set<string>(REVIEW_TOOL_NAMES);
  return available.filter((tool) => wanted.has(tool.name) && tool.kind !== 'edit');
}
