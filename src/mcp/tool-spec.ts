// What the model is told about an MCP tool, fitted to the developer message:
// descriptions cut to a few hundred characters (every token is paid on every
// cold start) and schemas stripped of the keys harmony's rendering and our
// validator do not use.

/** Tools of one server the model is offered: each costs prompt tokens on every request. */
export const MAX_TOOLS_PER_SERVER = 100;

/** Characters of a tool's description the model reads; servers write pages. */
export const MAX_DESCRIPTION = 600;
/** Characters of one argument's description. */
const MAX_PROPERTY_DESCRIPTION = 200;

export function fitDescription(server: string, description: string | undefined): string {
  const text = (description ?? '').replace(/\s+/g, ' ').trim();
  const cut = text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1).trimEnd()}…` : text;
  return cut ? `${cut} (MCP server ${server})` : `A tool of the MCP server ${server}.`;
}

/** An object schema the validator (ajv, draft-07) compiles and tool-docs renders. */
export function fitSchema(schema: unknown): Record<string, unknown> {
  const fitted = isRecord(schema) ? (strip(schema, 0) as Record<string, unknown>) : {};
  return { ...fitted, type: 'object', properties: isRecord(fitted.properties) ? fitted.properties : {} };
}

const DROPPED = new Set(['$schema', '$id', '$comment', 'examples', 'title']);

function strip(value: unknown, depth: number): unknown {
  // A hostile or generated schema may nest without end; below this, any value is accepted.
  if (depth > 12) return {};
  if (Array.isArray(value)) return value.map((item) => strip(item, depth + 1));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (DROPPED.has(key)) continue;
    if (key === 'description' && typeof item === 'string') {
      out[key] = item.length > MAX_PROPERTY_DESCRIPTION ? `${item.slice(0, MAX_PROPERTY_DESCRIPTION - 1)}…` : item;
    } else if (key === 'properties' && isRecord(item)) {
      // Property names are data, not schema keywords: keep them all, fit their schemas.
      out[key] = Object.fromEntries(Object.entries(item).map(([name, sub]) => [name, strip(sub, depth + 1)]));
    } else {
      out[key] = strip(item, depth + 1);
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
