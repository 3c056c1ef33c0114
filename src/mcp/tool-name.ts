// The names MCP tools get in front of the model: `mcp__<server>__<tool>`, only
// [a-zA-Z0-9_-], at most 64 characters (what function-calling APIs accept),
// unique within a session.
import { createHash } from 'node:crypto';

const MAX_NAME = 64;

/** Runs of `_` collapse, so no part holds the `__` that separates the parts. */
export function sanitizeNamePart(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_').replace(/_{2,}/g, '_');
}

/** `mcp__server__tool`, shortened with a stable hash suffix when too long. */
export function mcpToolName(server: string, tool: string): string {
  const name = `mcp__${sanitizeNamePart(server)}__${sanitizeNamePart(tool)}`;
  if (name.length <= MAX_NAME) return name;
  const hash = createHash('sha256').update(`${server}\0${tool}`).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_NAME - 9)}_${hash}`;
}

/**
 * Whether an allow rule (`mcp__server__tool`, `mcp__server__*`, `mcp__*`) covers a tool's
 * name. A `*` matches only at the end, so a rule never covers more than its prefix says.
 */
export function mcpRuleMatches(rule: string, name: string): boolean {
  if (!rule.startsWith('mcp__')) return false;
  if (rule.endsWith('*')) return name.startsWith(rule.slice(0, -1));
  return rule === name;
}
