// The tools every agent mode starts with, in a fixed order (the order is part
// of the prompt prefix, so it must not change between runs).
import { applyPatchTool } from './apply-patch.js';
import { gitTool } from './git.js';
import { grepTool } from './grep.js';
import { listFilesTool } from './list-files.js';
import { readFileTool } from './read-file.js';
import { runTestsTool } from './run-tests.js';
import { shellTool } from './shell.js';
import { symbolsTool } from './symbols.js';
import type { Tool } from './tool.js';

export function defaultTools(): Tool[] {
  return [readFileTool, listFilesTool, grepTool, symbolsTool, applyPatchTool, shellTool, runTestsTool, gitTool];
}
