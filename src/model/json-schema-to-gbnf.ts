// Response schemas (a structured answer, such as the review's findings) are
// plain JSON schema; node-llama-cpp turns only a subset of it into a grammar
// (GbnfJsonSchema). This keeps every keyword the grammar can enforce and drops
// the rest (minimum, pattern, default, …): the code that reads the answer
// checks its values anyway.
import type { GbnfJsonSchema } from 'node-llama-cpp';

type Schema = Record<string, unknown>;

const IMMUTABLE_TYPES = ['string', 'number', 'integer', 'boolean', 'null'] as const;
const STRING_FORMATS = ['date-time', 'time', 'date'];

/** Any JSON value, for a schema the grammar cannot express. */
const ANY_VALUE: GbnfJsonSchema = {
  oneOf: [{ type: [...IMMUTABLE_TYPES] }, { type: 'array' }, { type: 'object', additionalProperties: true }],
};

export function toGbnfJsonSchema(schema: unknown): GbnfJsonSchema {
  if (!isObject(schema)) return ANY_VALUE;
  const converted = convert(schema);
  const defs = isObject(schema.$defs) ? mapValues(schema.$defs, toGbnfJsonSchema) : undefined;
  return defs && !('$ref' in converted) ? ({ ...converted, $defs: defs } as GbnfJsonSchema) : converted;
}

function convert(schema: Schema): GbnfJsonSchema {
  const description = typeof schema.description === 'string' ? { description: schema.description } : {};
  if ('const' in schema && isPrimitive(schema.const)) return { const: schema.const, ...description };
  if (Array.isArray(schema.enum) && schema.enum.every(isPrimitive)) return { enum: schema.enum, ...description };
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/$defs/')) {
    return { $ref: schema.$ref as `#/$defs/${string}`, ...description } as GbnfJsonSchema;
  }
  const alternatives = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : null;
  if (alternatives) return { oneOf: alternatives.map(toGbnfJsonSchema), ...description };

  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 1) {
    const basic = types.filter(isImmutableType);
    const rest = types.filter((type) => !isImmutableType(type)).map((type) => convert({ ...schema, type }));
    if (rest.length === 0) return { type: basic, ...description };
    return { oneOf: [...(basic.length > 0 ? [{ type: basic }] : []), ...rest], ...description };
  }
  switch (types[0]) {
    case 'object':
      return objectSchema(schema, description);
    case 'array':
      return {
        type: 'array',
        ...(schema.items !== undefined && !Array.isArray(schema.items)
          ? { items: toGbnfJsonSchema(schema.items) }
          : {}),
        ...(Array.isArray(schema.prefixItems) ? { prefixItems: schema.prefixItems.map(toGbnfJsonSchema) } : {}),
        ...pickCounts(schema, ['minItems', 'maxItems']),
        ...description,
      };
    case 'string':
      if (typeof schema.format === 'string' && STRING_FORMATS.includes(schema.format)) {
        return { type: 'string', format: schema.format as 'date-time', ...description };
      }
      return { type: 'string', ...pickCounts(schema, ['minLength', 'maxLength']), ...description };
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return { type: types[0], ...description };
    default:
      // No type: an object when it lists properties, any value otherwise.
      if (isObject(schema.properties)) return objectSchema(schema, description);
      return Object.keys(description).length > 0 ? ({ ...ANY_VALUE, ...description } as GbnfJsonSchema) : ANY_VALUE;
  }
}

// node-llama-cpp's grammar makes every listed property required, optional ones too.
function objectSchema(schema: Schema, description: { description?: string }): GbnfJsonSchema {
  const listed = isObject(schema.properties) ? schema.properties : undefined;
  const required = Array.isArray(schema.required)
    ? schema.required.filter((key): key is string => typeof key === 'string' && listed?.[key] !== undefined)
    : [];
  const additional = schema.additionalProperties;
  // JSON schema allows extra keys unless told otherwise; the model is better held to the listed ones.
  const extra =
    additional === true
      ? ANY_VALUE
      : isObject(additional)
        ? toGbnfJsonSchema(additional)
        : listed
          ? undefined
          : ANY_VALUE;
  return {
    type: 'object',
    ...(listed ? { properties: mapValues(listed, toGbnfJsonSchema) } : {}),
    ...(required.length > 0 ? { required } : {}),
    ...(extra ? { additionalProperties: extra } : {}),
    ...pickCounts(schema, ['minProperties', 'maxProperties']),
    ...description,
  };
}

function pickCounts(schema: Schema, keys: string[]): Record<string, number> {
  const picked: Record<string, number> = {};
  for (const key of keys) {
    const value = schema[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) picked[key] = value;
  }
  return picked;
}

function mapValues<T>(record: Schema, map: (value: unknown) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isImmutableType(type: unknown): type is (typeof IMMUTABLE_TYPES)[number] {
  return IMMUTABLE_TYPES.includes(type as never);
}
