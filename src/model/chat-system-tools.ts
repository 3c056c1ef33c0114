// Over Chat Completions, tools cannot be declared in the system message: the
// server's template writes every tool into the developer message's
// `namespace functions`. System tool namespaces are flattened into functions
// there, under names every server accepts (letters, digits, `_`, `-`):
// `repo_browser.open_file` becomes `repo_browser__open_file`; a namespace
// without tools (a standalone tool such as `apply_patch`) keeps its name.
// Calls are mapped back to the qualified name the loop knows.
import type { ToolNamespaceSpec, ToolSpec } from './backend.js';

const SEPARATOR = '__';

export interface FlattenedTools {
  /** Functions to declare: the system tools, flattened. */
  tools: ToolSpec[];
  /** Flat name → the name the loop knows (`repo_browser.open_file`). */
  toQualified: ReadonlyMap<string, string>;
  /** The other way, for past calls sent back in the history. */
  toFlat: ReadonlyMap<string, string>;
}

export function flattenSystemTools(
  namespaces: readonly ToolNamespaceSpec[] = [],
  functions: readonly ToolSpec[] = [],
): FlattenedTools {
  const taken = new Set(functions.map((tool) => tool.name));
  const tools: ToolSpec[] = [];
  const toQualified = new Map<string, string>();
  const toFlat = new Map<string, string>();
  const add = (qualified: string, flat: string, spec: Omit<ToolSpec, 'name'>) => {
    const name = safeName(flat);
    if (taken.has(name)) return; // a developer function of that name wins
    taken.add(name);
    tools.push({ name, ...spec });
    toQualified.set(name, qualified);
    toFlat.set(qualified, name);
  };
  for (const namespace of namespaces) {
    if (namespace.tools.length === 0) {
      add(namespace.name, namespace.name, {
        description: namespace.description ?? '',
        parameters: { type: 'object' },
      });
      continue;
    }
    for (const tool of namespace.tools) {
      const description = namespace.description ? `${namespace.description} ${tool.description}` : tool.description;
      add(`${namespace.name}.${tool.name}`, `${namespace.name}${SEPARATOR}${tool.name}`, {
        description: description.trim(),
        parameters: tool.parameters,
      });
    }
  }
  return { tools, toQualified, toFlat };
}

/** Characters outside OpenAI's function-name alphabet become `_`; 64 characters at most. */
function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
}
