// The tool definitions gpt-oss reads, written the way harmony writes them
// (and the model was trained on): a TypeScript namespace, one commented type
// per function, optional parameters marked with `?`, defaults noted.
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

export interface ToolDoc {
  name: string;
  description?: string;
  /** The JSON schema of the arguments object. */
  schema?: Record<string, unknown>;
}

type Schema = Record<string, unknown>;

export function renderFunctionsNamespace(tools: readonly ToolDoc[]): string {
  const types = tools.map((tool) => {
    const comment = tool.description ? `${commentLines(tool.description)}\n` : '';
    return `${comment}type ${tool.name} = ${signature(tool.schema)} => any;`;
  });
  return [
    '# Tools',
    '',
    '## functions',
    '',
    'namespace functions {',
    '',
    ...types.flatMap((type) => [type, '']),
    '} // namespace functions',
  ].join('\n');
}

function signature(schema: Schema | undefined): string {
  const properties = isObject(schema?.properties) ? schema.properties : {};
  if (Object.keys(properties).length === 0) return '()';
  const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
  const lines = Object.entries(properties).map(([key, value]) => {
    const property = isObject(value) ? value : {};
    const comment = typeof property.description === 'string' ? `${commentLines(property.description)}\n` : '';
    const fallback =
      property.default !== undefined
        ? ` // default: ${typeof property.default === 'string' ? property.default : JSON.stringify(property.default)}`
        : '';
    return `${comment}${propertyKey(key)}${required.has(key) ? '' : '?'}: ${typeOf(property)},${fallback}`;
  });
  return `(_: {\n${lines.join('\n')}\n})`;
}

function typeOf(schema: Schema): string {
  if ('const' in schema) return stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(stringify).join(' | ');
  const alternatives = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : null;
  if (alternatives) return alternatives.map((item) => typeOf(isObject(item) ? item : {})).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.map((type) => typeOf({ ...schema, type })).join(' | ');
  switch (schema.type) {
    case 'string':
    case 'boolean':
    case 'null':
      return schema.type;
    case 'number':
    case 'integer':
      return 'number';
    case 'array': {
      const item = isObject(schema.items) ? typeOf(schema.items) : 'any';
      return /[|\s]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return objectType(schema);
    default:
      return isObject(schema.properties) ? objectType(schema) : 'any';
  }
}

function objectType(schema: Schema): string {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const entries = Object.entries(properties).map(
    ([key, value]) => `${propertyKey(key)}${required.has(key) ? '' : '?'}: ${typeOf(isObject(value) ? value : {})}`,
  );
  if (entries.length === 0) return schema.additionalProperties === false ? '{}' : 'object';
  return `{${entries.join(', ')}}`;
}

function commentLines(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `// ${line}`.trimEnd())
    .join('\n');
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
