// The set of tools a mode gives the model, looked up by name. A tool whose name
// is qualified (`repo_browser.open_file`) belongs to a namespace declared in the
// system message; the others are developer-message functions.
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

export interface ToolRegistryOptions {
  /** Descriptions of the namespaces the qualified tool names use, in the order they are declared. */
  namespaces?: ReadonlyArray<{ name: string; description?: string }>;
  /** Maps a name the model wrote that is not exactly a tool's (an alias, harmony debris) to a tool's name. */
  resolveName?: (name: string, known: ReadonlySet<string>) => string | undefined;
  /** Tools that come and go during a session (MCP servers' tools), after the fixed ones; developer functions. */
  dynamic?: () => readonly Tool[];
}

export class ToolRegistry {
  private readonly byName: Map<string, Tool>;

  constructor(
    tools: readonly Tool[],
    private readonly options: ToolRegistryOptions = {},
  ) {
    this.byName = new Map(tools.map((tool) => [tool.name, tool]));
  }

  get(name: string): Tool | undefined {
    return this.byName.get(name) ?? this.dynamicTools().find((tool) => tool.name === name);
  }

  /** The tool a call means: the exact name, else what the surface's resolver makes of it. */
  resolve(name: string): Tool | undefined {
    const exact = this.get(name);
    if (exact) return exact;
    const resolved = this.options.resolveName?.(name, new Set(this.names()));
    return resolved === undefined ? undefined : this.get(resolved);
  }

  names(): string[] {
    return this.all().map((tool) => tool.name);
  }

  all(): Tool[] {
    const fixed = [...this.byName.values()];
    const dynamic = this.dynamicTools().filter((tool) => !this.byName.has(tool.name) && !tool.name.includes('.'));
    return dynamic.length === 0 ? fixed : [...fixed, ...dynamic];
  }

  private dynamicTools(): readonly Tool[] {
    return this.options.dynamic?.() ?? [];
  }

  /** What the model is told about every developer-message function, in registration order. */
  specs(): ToolDescriptionForModel[] {
    return this.all()
      .filter((tool) => namespaceOf(tool.name) === undefined)
      .map(({ name, description, parameters }) => ({ name, description, parameters }));
  }

  /** The system-message namespaces and their tools; empty when every tool is a function. */
  systemTools(): ToolNamespaceForModel[] {
    const groups = new Map<string, ToolNamespaceForModel>();
    for (const { name, description } of this.options.namespaces ?? []) {
      groups.set(name, { name, ...(description ? { description } : {}), tools: [] });
    }
    for (const tool of this.all()) {
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
