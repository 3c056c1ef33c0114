// Tool declarations the way gpt-oss was trained to read them: a `## name` section per
// namespace, a TypeScript-like `namespace` with one commented `type` per tool, the
// arguments as an object type (optional keys marked `?`, defaults in trailing comments).
// Every quirk here is the reference renderer's (openai/harmony), checked byte for byte by
// test/model/harmony-render.test.ts: comments are not re-wrapped, nested objects indent by
// four spaces and close on their own line, `oneOf` variants go one per line, an `enum`
// counts only on a string, and keys are written as they are.
//
//   ## functions
//
//   namespace functions {
//
//   // Read a file.
//   type read_file = (_: {
//   path: string,
//   start_line?: number, // default: 1
//   }) => any;
//
//   } // namespace functions
import type { ToolNamespaceSpec, ToolSpec } from '../backend.js';

type Schema = Record<string, unknown>;

/** The `# Tools` section: one `## name` part per namespace, in the order given. */
export function renderToolsSection(namespaces: readonly ToolNamespaceSpec[]): string {
  return ['# Tools', ...namespaces.map(renderNamespace)].join('\n\n');
}

/** The developer message's tools: `# Tools` → `## functions`. */
export function renderFunctionsNamespace(tools: readonly ToolSpec[]): string {
  return renderToolsSection([{ name: 'functions', tools }]);
}

/**
 * One namespace. A namespace without tools stands for a tool of its own (as harmony declares
 * `python`): its description is written as plain text, and calls go to the namespace's name.
 */
export function renderNamespace(namespace: ToolNamespaceSpec): string {
  const hasTools = namespace.tools.length > 0;
  const parts = [`## ${namespace.name}\n`];
  for (const line of lines(namespace.description ?? '')) parts.push(hasTools ? `// ${line}` : line);
  if (hasTools) {
    parts.push(`namespace ${namespace.name} {\n`);
    for (const tool of namespace.tools) {
      for (const line of lines(tool.description)) parts.push(`// ${line}`);
      parts.push(`type ${tool.name} = ${signature(tool.parameters)} => any;\n`);
    }
    parts.push(`} // namespace ${namespace.name}`);
  }
  return parts.join('\n');
}

/**
 * A schema without properties declares no arguments: `()`, as harmony writes a tool without
 * parameters, where the reference would write `(_: {\n})` for it (our one difference here).
 */
function signature(parameters: Schema | undefined): string {
  if (!parameters || !hasProperties(parameters)) return '()';
  return `(_: ${typeOf(parameters, '')})`;
}

function hasProperties(schema: Schema): boolean {
  return isObject(schema.properties) && Object.keys(schema.properties).length > 0;
}

function typeOf(schema: Schema, indent: string): string {
  if (Array.isArray(schema.oneOf)) return variantsInline(schema.oneOf, indent);
  if (Array.isArray(schema.type)) {
    const names = schema.type.filter((t): t is string => typeof t === 'string');
    if (names.length > 0) return names.map((t) => (t === 'integer' ? 'number' : t)).join(' | ');
  }
  switch (schema.type) {
    case 'object':
      return objectType(schema, indent);
    case 'string': {
      const values = Array.isArray(schema.enum) ? schema.enum.filter((v): v is string => typeof v === 'string') : [];
      return values.length > 0 ? values.map((v) => `"${v}"`).join(' | ') : 'string';
    }
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return 'items' in schema ? `${typeOf(asSchema(schema.items), indent)}[]` : 'Array<any>';
    default:
      return 'any';
  }
}

function objectType(schema: Schema, indent: string): string {
  let out = typeof schema.description === 'string' ? `${indent}// ${schema.description}\n` : '';
  out += '{\n';
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  for (const [key, value] of Object.entries(properties)) {
    const property = asSchema(value);
    const mark = required.has(key) ? '' : '?';
    if (typeof property.title === 'string') out += `${indent}// ${property.title}\n${indent}//\n`;
    const variants = Array.isArray(property.oneOf) ? property.oneOf : undefined;
    if (!variants && typeof property.description === 'string') out += `${indent}// ${property.description}\n`;
    out += examples(property, indent);
    if (variants) {
      out += variantsProperty(key + mark, property, variants, indent);
      continue;
    }
    const fallback = 'default' in property ? ` // ${defaultNote(property)}` : '';
    out += `${indent}${key}${mark}: ${nullable(property, typeOf(property, `${indent}    `))},${fallback}\n`;
  }
  return `${out}${indent}}`;
}

/** A property whose value is one of several schemas: each variant on its own ` | ` line. */
function variantsProperty(label: string, property: Schema, variants: unknown[], indent: string): string {
  const description = typeof property.description === 'string' ? property.description : undefined;
  // The property's description is written once: above it, unless the first variant already carries it.
  const above = description !== undefined && asSchema(variants[0]).description !== description;
  let out = above ? `${indent}// ${description}\n` : '';
  if ('default' in property) out += `${indent}// ${defaultNote(property)}\n`;
  out += `${indent}${label}:\n`;
  variants.forEach((item, index) => {
    const variant = asSchema(item);
    const notes: string[] = [];
    const own = typeof variant.description === 'string' ? variant.description : undefined;
    if (!(index === 0 && above) && own !== undefined && own !== description) notes.push(own);
    if ('default' in variant) notes.push(defaultNote(variant));
    const comment = notes.length > 0 ? ` // ${notes.join(' ')}` : '';
    out += `${indent} | ${nullable(variant, typeOf(variant, `${indent}   `))}${comment}\n`;
  });
  return `${out}${indent},\n`;
}

/** `oneOf` anywhere but directly under a property (an array's items, say). */
function variantsInline(variants: unknown[], indent: string): string {
  return variants
    .map((item) => {
      const variant = asSchema(item);
      const notes: string[] = [];
      if (typeof variant.description === 'string') notes.push(variant.description);
      if ('default' in variant) notes.push(defaultNote(variant));
      const comment = notes.length > 0 ? ` // ${notes.join(' ')}` : '';
      return `\n${indent} | ${nullable(variant, typeOf(variant, `${indent}   `))}${comment}`;
    })
    .join('');
}

function examples(property: Schema, indent: string): string {
  if (!Array.isArray(property.examples) || property.examples.length === 0) return '';
  const items = property.examples.filter((e): e is string => typeof e === 'string');
  return `${indent}// Examples:\n${items.map((e) => `${indent}// - "${e}"\n`).join('')}`;
}

function defaultNote(schema: Schema): string {
  const value = schema.default;
  if (typeof value !== 'string') return `default: ${JSON.stringify(value)}`;
  return isEnum(schema) ? `default: ${value}` : `default: "${value}"`;
}

function nullable(schema: Schema, type: string): string {
  return schema.nullable === true && !type.includes('null') ? `${type} | null` : type;
}

function isEnum(schema: Schema): boolean {
  return Array.isArray(schema.enum) && schema.enum.length > 0;
}

/** Lines as Rust's `str::lines` gives them: no empty last line for a trailing newline, `\r` dropped. */
function lines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (text.endsWith('\n')) parts.pop();
  return parts;
}

function asSchema(value: unknown): Schema {
  return isObject(value) ? value : {};
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
