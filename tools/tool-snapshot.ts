// The tools offered at one moment, fixed: what one model request declares, what
// its budget counts, and what the calls it brings back are resolved against. A
// registry's list can change at any time (MCP servers'); a snapshot never does.
import type { Tool } from './tool.js';

export interface ToolDescriptionForModel {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A system-message namespace: its tools' names are bare here (`open_file`). */
export interface ToolNamespaceForModel {
  name: string;
  description?: string;
  tools: ToolDescriptionForModel[];
}

export interface ToolSnapshotOptions {
  /** Descriptions of the namespaces the qualified tool names use, in the order they are declared. */
  namespaces?: ReadonlyArray<{ name: string; description?: string }>;
  /** Maps a name the model wrote that is not exactly a tool's (an alias, harmony debris) to a tool's name. */
  resolveName?: (name: string, known: ReadonlySet<string>) => string | undefined;
}

export class ToolSnapshot {
  private readonly tools: readonly Tool[];
  private readonly byName: ReadonlyMap<string, Tool>;
  private specList: readonly ToolDescriptionForModel[] | undefined;
  private namespaceList: readonly ToolNamespaceForModel[] | undefined;

  /** `tools` in the order they are offered, names unique. */
  constructor(
    tools: readonly Tool[],
    private readonly options: ToolSnapshotOptions = {},
  ) {
    this.tools = Object.freeze([...tools]);
    this.byName = new Map(this.tools.map((tool) => [tool.name, tool]));
  }

  get(name: string): Tool | undefined {
    return this.byName.get(name);
  }

  /** The tool a call means: the exact name, else what the surface's resolver makes of it. */
  resolve(name: string): Tool | undefined {
    const exact = this.get(name);
    if (exact) return exact;
    const resolved = this.options.resolveName?.(name, new Set(this.byName.keys()));
    return resolved === undefined ? undefined : this.get(resolved);
  }

  names(): string[] {
    return this.tools.map((tool) => tool.name);
  }

  all(): Tool[] {
    return [...this.tools];
  }

  /** What the model is told about every developer-message function, in registration order (the same list each time). */
  specs(): readonly ToolDescriptionForModel[] {
    this.specList ??= Object.freeze(
      this.tools
        .filter((tool) => namespaceOf(tool.name) === undefined)
        .map(({ name, description, parameters }) => ({ name, description, parameters })),
    );
    return this.specList;
  }

  /** The system-message namespaces and their tools; empty when every tool is a function. */
  systemTools(): readonly ToolNamespaceForModel[] {
    this.namespaceList ??= Object.freeze(this.groupNamespaces());
    return this.namespaceList;
  }

  private groupNamespaces(): ToolNamespaceForModel[] {
    const groups = new Map<string, ToolNamespaceForModel>();
    for (const { name, description } of this.options.namespaces ?? []) {
      groups.set(name, { name, ...(description ? { description } : {}), tools: [] });
    }
    for (const tool of this.tools) {
      const namespace = namespaceOf(tool.name);
      if (namespace === undefined) continue;
      let group = groups.get(namespace);
      if (!group) groups.set(namespace, (group = { name: namespace, tools: [] }));
      group.tools.push({
        name: tool.name.slice(namespace.length + 1),
        description: tool.description,
        parameters: tool.parameters,
      });
    }
    return [...groups.values()].filter((group) => group.tools.length > 0);
  }
}

function namespaceOf(name: string): string | undefined {
  const dot = name.indexOf('.');
  return dot === -1 ? undefined : name.slice(0, dot);
}
