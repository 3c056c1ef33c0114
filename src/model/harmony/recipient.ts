// Where a tool call goes in harmony. Backends hand calls over with a bare name for a
// developer function (`symbols` → `functions.symbols`) and the qualified name for a tool
// in a system namespace (`repo_browser.open_file`); a system namespace without tools is a
// tool of its own (`apply_patch`, as harmony's `python`) and is its own recipient.
import type { ToolNamespaceSpec, ToolSpec } from '../backend.js';

export interface ToolCatalog {
  tools: readonly ToolSpec[];
  systemTools?: readonly ToolNamespaceSpec[];
}

export function toolRecipient(name: string, catalog: ToolCatalog): string {
  if (name.includes('.')) return name;
  if (catalog.tools.some((tool) => tool.name === name)) return `functions.${name}`;
  if (isStandaloneSystemTool(name, catalog)) return name;
  // An undeclared name: the model most likely meant a function, which is where bare names come from.
  return `functions.${name}`;
}

/** A system namespace declared without tools: the model writes its call's content freely, as for `python`. */
export function isStandaloneSystemTool(name: string, catalog: ToolCatalog): boolean {
  return (catalog.systemTools ?? []).some((namespace) => namespace.name === name && namespace.tools.length === 0);
}
