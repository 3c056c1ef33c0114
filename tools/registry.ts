// The set of tools a mode gives the model, looked up by name. A tool whose name
// is qualified (`repo_browser.open_file`) belongs to a namespace declared in the
// system message; the others are developer-message functions. Dynamic tools
// (MCP servers') come and go; `snapshot()` fixes the list for one model step.
import type { Tool } from './tool.js';
import {
  ToolSnapshot,
  type ToolDescriptionForModel,
  type ToolNamespaceForModel,
  type ToolSnapshotOptions,
} from './tool-snapshot.js';

export { ToolSnapshot, type ToolDescriptionForModel, type ToolNamespaceForModel } from './tool-snapshot.js';

export interface ToolRegistryOptions extends ToolSnapshotOptions {
  /** Tools that come and go during a session (MCP servers' tools), after the fixed ones; developer functions. */
  dynamic?: () => readonly Tool[];
}

export class ToolRegistry {
  private readonly fixed: ReadonlyMap<string, Tool>;

  constructor(
    tools: readonly Tool[],
    private readonly options: ToolRegistryOptions = {},
  ) {
    this.fixed = new Map(tools.map((tool) => [tool.name, tool]));
  }

  /** The tools offered now, as a list that no later change touches. */
  snapshot(): ToolSnapshot {
    const fixed = [...this.fixed.values()];
    // A dynamic tool never shadows a fixed one, nor takes a namespace's qualified name.
    const taken = new Set(this.fixed.keys());
    const dynamic: Tool[] = [];
    for (const tool of this.options.dynamic?.() ?? []) {
      if (taken.has(tool.name) || tool.name.includes('.')) continue;
      taken.add(tool.name);
      dynamic.push(tool);
    }
    const { namespaces, resolveName } = this.options;
    return new ToolSnapshot(dynamic.length === 0 ? fixed : [...fixed, ...dynamic], {
      ...(namespaces ? { namespaces } : {}),
      ...(resolveName ? { resolveName } : {}),
    });
  }

  get(name: string): Tool | undefined {
    return this.snapshot().get(name);
  }

  /** The tool a call means: the exact name, else what the surface's resolver makes of it. */
  resolve(name: string): Tool | undefined {
    return this.snapshot().resolve(name);
  }

  names(): string[] {
    return this.snapshot().names();
  }

  all(): Tool[] {
    return this.snapshot().all();
  }

  /** What the model is told about every developer-message function, in registration order. */
  specs(): ToolDescriptionForModel[] {
    return [...this.snapshot().specs()];
  }

  /** The system-message namespaces and their tools; empty when every tool is a function. */
  systemTools(): ToolNamespaceForModel[] {
    return [...this.snapshot().systemTools()];
  }
}
