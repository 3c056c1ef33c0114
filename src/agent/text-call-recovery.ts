// Tool calls the model wrote as text rather than as calls, recovered only when
// there is exactly one way to read them:
//   - an answer that is nothing but `{"tool": NAME, "arguments": {…}}` (or `name`/
//     `function` and `args`/`parameters`/`input`) naming a known tool;
//   - no answer, and reasoning that ends in a JSON object (the call's arguments sent
//     on the reasoning channel) whose keys fit one tool's parameters and no other's.
import type { ToolSpec } from '../model/backend.js';
import { cleanToolName } from '../model/tool-name.js';

export interface RecoveredCall {
  name: string;
  arguments: string;
  /** Where it was found, for the notice. */
  from: 'answer' | 'reasoning';
}

const NAME_KEYS = ['tool', 'name', 'function', 'tool_name', 'recipient'];
const ARGUMENT_KEYS = ['arguments', 'args', 'parameters', 'input'];
const MAX_ARGUMENTS = 4000;

export function recoverTextCall(
  answer: string,
  reasoning: string,
  tools: readonly ToolSpec[],
): RecoveredCall | undefined {
  const known = new Set(tools.map((tool) => tool.name));
  if (answer.trim() !== '') {
    const wrapped = asWrappedCall(parseObject(answer.trim()), known);
    return wrapped && { ...wrapped, from: 'answer' };
  }
  const tail = trailingObject(reasoning);
  if (!tail) return undefined;
  const wrapped = asWrappedCall(tail, known);
  if (wrapped) return { ...wrapped, from: 'reasoning' };
  const fitting = tools.filter((tool) => fits(tool.parameters, tail));
  if (fitting.length !== 1) return undefined;
  return { name: fitting[0]!.name, arguments: JSON.stringify(tail), from: 'reasoning' };
}

function asWrappedCall(
  value: Record<string, unknown> | undefined,
  known: ReadonlySet<string>,
): { name: string; arguments: string } | undefined {
  if (!value) return undefined;
  const keys = Object.keys(value);
  const nameKey = keys.find((key) => NAME_KEYS.includes(key));
  const argsKey = keys.find((key) => ARGUMENT_KEYS.includes(key));
  if (!nameKey || keys.length > 2 || (keys.length === 2 && !argsKey)) return undefined;
  const rawName = value[nameKey];
  if (typeof rawName !== 'string') return undefined;
  const name = cleanToolName(rawName, known);
  if (!known.has(name)) return undefined;
  const args = argsKey ? value[argsKey] : {};
  if (typeof args === 'string') return parseObject(args) ? { name, arguments: args } : undefined;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return undefined;
  return { name, arguments: JSON.stringify(args) };
}

/** The keys name only parameters of the tool and include all it requires. */
function fits(schema: Record<string, unknown>, args: Record<string, unknown>): boolean {
  const properties = schema.properties;
  if (typeof properties !== 'object' || properties === null) return false;
  const keys = Object.keys(args);
  if (keys.length === 0) return false;
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  return (
    keys.every((key) => Object.hasOwn(properties, key)) &&
    required.every((key) => typeof key === 'string' && keys.includes(key))
  );
}

/** The JSON object the text ends with, if it ends with one. */
function trailingObject(text: string): Record<string, unknown> | undefined {
  // Arguments are short; a long tail is prose that happens to end in a brace.
  const trimmed = text.trimEnd().slice(-MAX_ARGUMENTS);
  if (!trimmed.endsWith('}')) return undefined;
  // Try each `{` from the end backwards: the first that parses to the end is the object.
  for (let at = trimmed.lastIndexOf('{'); at !== -1; at = at > 0 ? trimmed.lastIndexOf('{', at - 1) : -1) {
    const found = parseObject(trimmed.slice(at));
    if (found) return found;
  }
  return undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
