// The functions surface: every tool a developer-message function under its own
// name, as the agent has always offered them. The resolver only cleans harmony
// debris and a `functions.` prefix; it maps no aliases.
import { ToolRegistry } from '../registry.js';
import type { Tool } from '../tool.js';
import { resolveToolName } from './resolve-name.js';

export function functionsRegistry(tools: readonly Tool[], dynamic?: () => readonly Tool[]): ToolRegistry {
  return new ToolRegistry(tools, {
    resolveName: (name, known) => resolveToolName(name, known),
    ...(dynamic ? { dynamic } : {}),
  });
}
