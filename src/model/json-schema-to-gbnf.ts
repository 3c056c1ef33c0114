// Our tools and response schemas are plain JSON schema; node-llama-cpp turns
// only a subset of it into a grammar (GbnfJsonSchema). This keeps every
// keyword the grammar can enforce and drops the rest (minimum, pattern,
// default, …): the loop validates arguments against the full schema anyway
// and tells the model what was wrong.
import type { GbnfJsonSchema } from 'node-llama-cpp';

type Schema = Record<string, unknown>;

export interface GbnfOptions {
  /**
   * node-llama-cpp's grammar makes every listed property required. With this
   * set, an object lists only its required properties; the optional ones may
   * follow as extra keys (with any of their value types), so a tool call need
   * not invent values for parameters it does not use.
   */
  optionalAsExtraKeys?: boolean;
}

const IMMUTABLE_TYPES = ['string', 'number', 'integer', 'boolean', 'null'] as const;
const STRING_FORMATS = ['date-time', 'time', 'date'];

/** Any JSON value, for a schema the grammar cannot express. */
const ANY_VALUE: GbnfJsonSchema = {
  oneOf: [{ type: [...IMMUTABLE_TYPES] }, { type: 'array' }, { type: 'object', additionalProperties: true }],
};

export function toGbnfJsonSchema(schema: unknown, options: GbnfOptions = {}): GbnfJsonSchema {
  if (!isObject(schema)) return ANY_VALUE;
  const converted = convert(schema, options);
  const defs = isObject(schema.$defs) ? mapValues(schema.$defs, (def) => toGbnfJsonSchema(def, options)) : undefined;
  return defs && !('$ref' in converted) ? ({ ...converted, $defs: defs } as GbnfJsonSchema) : converted;
}

function convert(schema: Schema, options: GbnfOptions): GbnfJsonSchema {
  const description = typeof schema.description === 'string' ? { description: schema.description } : {};
  const sub = (value: unknown) => toGbnfJsonSchema(value, options);
  if ('const' in schema && isPrimitive(schema.const)) return { const: schema.const, ...description };
  if (Array.isArray(schema.enum) && schema.enum.every(isPrimitive)) return { enum: schema.enum, ...description };
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/$defs/')) {
    return { $ref: schema.$ref as `#/$defs/${string}`, ...description } as GbnfJsonSchema;
  }
  const alternatives = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : null;
  if (alternatives) return { oneOf: alternatives.map(sub), ...description };

  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 1) {
    const basic = types.filter(isImmutableType);
    const rest = types.filter((type) => !isImmutableType(type)).map((type) => convert({ ...schema, type }, options));
    if (rest.length === 0) return { type: basic, ...description };
    return { oneOf: [...(basic.length > 0 ? [{ type: basic }] : []), ...rest], ...description };
  }
  switch (types[0]) {
    case 'object':
      return objectSchema(schema, description, options);
    case 'array':
      return {
        type: 'array',
        ...(schema.items !== undefined && !Array.isArray(schema.items) ? { items: sub(schema.items) } : {}),
        ...(Array.isArray(schema.prefixItems) ? { prefixItems: schema.prefixItems.map(sub) } : {}),
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
      if (isObject(schema.properties)) return objectSchema(schema, description, options);
      return Object.keys(description).length > 0 ? ({ ...ANY_VALUE, ...description } as GbnfJsonSchema) : ANY_VALUE;
  }
}

function objectSchema(schema: Schema, description: { description?: string }, options: GbnfOptions): GbnfJsonSchema {
  const sub = (value: unknown) => toGbnfJsonSchema(value, options);
  const listed = isObject(schema.properties) ? schema.properties : undefined;
  const required = Array.isArray(schema.required)
    ? schema.required.filter((key): key is string => typeof key === 'string' && listed?.[key] !== undefined)
    : [];
  const additional = schema.additionalProperties;
  // JSON schema allows extra keys unless told otherwise; the model is better held to the listed ones.
  const extra =
    additional === true ? [ANY_VALUE] : isObject(additional) ? [sub(additional)] : listed ? [] : [ANY_VALUE];
  let properties = listed;
  if (options.optionalAsExtraKeys && listed) {
    properties = Object.fromEntries(required.map((key) => [key, listed[key]]));
    extra.push(...Object.entries(listed).flatMap(([key, value]) => (required.includes(key) ? [] : [sub(value)])));
  }
  return {
    type: 'object',
    ...(properties ? { properties: mapValues(properties, sub) } : {}),
    ...(required.length > 0 ? { required } : {}),
    ...(extra.length > 0 ? { additionalProperties: extra.length === 1 ? extra[0]! : { oneOf: extra } } : {}),
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
