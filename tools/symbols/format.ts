// The text the model reads for symbol lookups: one line per definition
// ("path:line kind Owner.name: the line"), an outline indented by nesting,
// references grouped by file.
import type { FileReference, ShownDefinition } from './requests.js';
import type { Definition } from './tags.js';

export function qualifiedName(definition: Pick<Definition, 'name' | 'container'>): string {
  return definition.container ? `${definition.container}.${definition.name}` : definition.name;
}

export function formatDefinition(hit: ShownDefinition): string {
  return `${hit.file}:${hit.line} ${hit.kind} ${qualifiedName(hit)}: ${hit.signature}`;
}

export function formatOutline(definitions: readonly Definition[]): string {
  return definitions
    .map(
      (definition) =>
        `${'  '.repeat(definition.depth ?? 0)}${definition.line} ${definition.kind} ${definition.name}: ${definition.signature}`,
    )
    .join('\n');
}

export function formatReferences(references: readonly FileReference[]): string {
  const out: string[] = [];
  let file: string | undefined;
  for (const reference of references) {
    if (reference.file !== file) {
      file = reference.file;
      out.push(file);
    }
    const nameOnly = reference.ownerMatch === 'name' ? ' (name only)' : '';
    out.push(`  ${reference.line} ${reference.kind}${nameOnly}: ${reference.text}`);
  }
  return out.join('\n');
}
