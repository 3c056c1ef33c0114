// Which tool surface a run offers the model: `native` (the tools gpt-oss was
// trained on, in the system message) or `functions` (our own tools as
// developer-message functions).
import type { ToolRegistry } from '../registry.js';
import type { Tool } from '../tool.js';
import { functionsRegistry } from './functions.js';
import { NATIVE_TOOL_NAMES, nativeRegistry } from './native.js';

export type ToolSurfaceName = 'native' | 'functions';

export const TOOL_SURFACES: readonly ToolSurfaceName[] = ['native', 'functions'];

/** The default for gpt-oss: the tools it calls most reliably. */
export const DEFAULT_TOOL_SURFACE: ToolSurfaceName = 'native';

export function isToolSurface(value: unknown): value is ToolSurfaceName {
  return value === 'native' || value === 'functions';
}

/** `dynamic`: tools that come and go (MCP servers'), offered as developer functions on either surface. */
export function surfaceRegistry(
  surface: ToolSurfaceName,
  tools: readonly Tool[],
  dynamic?: () => readonly Tool[],
): ToolRegistry {
  return surface === 'native' ? nativeRegistry(tools, dynamic) : functionsRegistry(tools, dynamic);
}

/** How the surface names our tools, for prompts: `{}` (their own names) on the functions surface. */
export function surfaceToolNames(surface: ToolSurfaceName): Readonly<Record<string, string>> {
  return surface === 'native' ? NATIVE_TOOL_NAMES : {};
}
