// Runs one tool call the model made. Every mistake the model can make
// (unknown tool, bad JSON, arguments that break the schema, the same call
// again and again, a tool that throws) becomes a result it can read and
// correct; nothing here throws.
import type { ToolCallRequest } from '../model/backend.js';
import { ToolError, type Tool, type ToolContext, type ToolResult } from '../../tools/tool.js';
import type { ToolSnapshot } from '../../tools/registry.js';
import type { ArgumentValidator } from '../../tools/validate-arguments.js';
import { truncateForModel } from './truncate.js';

/** A call identical to the previous two is not run again. */
const REPEAT_LIMIT = 3;

export interface PreparedCall {
  call: ToolCallRequest;
  /** Parsed arguments, or the raw text when it was not JSON. */
  args: unknown;
  summary: string;
  /** The tool the call resolved to, when it did. */
  tool?: Tool;
  /** Set when the call cannot run; the text is the result the model reads. */
  rejection?: string;
  run?: (ctx: ToolContext) => Promise<ToolResult>;
}

export class ToolCallRunner {
  private recent: string[] = [];

  constructor(
    private readonly validator: ArgumentValidator,
    private readonly outputTokenBudget: number,
  ) {}

  /** Forget the repeat history (a new user turn is a fresh start). */
  resetRepeats(): void {
    this.recent = [];
  }

  /**
   * `offered`: the tools of the request the call came back from, which it is resolved and checked
   * against; `now`: the tools offered at this moment. A tool its server removed in between is not run.
   */
  async prepare(call: ToolCallRequest, offered: ToolSnapshot, now: ToolSnapshot): Promise<PreparedCall> {
    const tool = offered.resolve(call.name);
    const parsed = readArguments(tool, call.arguments);
    const args = parsed.ok ? parsed.value : call.arguments;
    if (!tool) {
      return {
        call,
        args,
        summary: `${call.name} (unknown tool)`,
        rejection: `There is no tool named "${call.name}". The tools are: ${offered.names().join(', ')}.`,
      };
    }
    if (!stillOffered(tool, now)) {
      return { call, args, tool, summary: `${tool.name} (no longer offered)`, rejection: noLongerOffered(tool, now) };
    }
    if (!parsed.ok) {
      return {
        call,
        args,
        tool,
        summary: `${tool.name} (invalid JSON)`,
        rejection:
          `The arguments of ${tool.name} are not valid JSON (${parsed.error}). ` +
          "Send one JSON object that matches the tool's parameters.",
      };
    }
    const valid = await this.validator.validate(tool, parsed.value);
    if (!valid.ok) return { call, args, tool, summary: `${tool.name} (invalid arguments)`, rejection: valid.message };

    const key = `${tool.name}\u0000${canonicalJson(valid.value)}`;
    this.recent.push(key);
    if (this.recent.length > REPEAT_LIMIT) this.recent.shift();
    const summary = safeDescribe(() => tool.describe(valid.value), tool.name);
    if (this.recent.length === REPEAT_LIMIT && this.recent.every((k) => k === key)) {
      return {
        call,
        args: valid.value,
        tool,
        summary,
        rejection:
          `You have made this exact ${tool.name} call ${REPEAT_LIMIT} times in a row; ` +
          'its result will not change. Change approach: use what the earlier results told you, ' +
          'try different arguments or another tool, or answer with what you know.',
      };
    }
    return { call, args: valid.value, tool, summary, run: (ctx) => tool.execute(valid.value, ctx) };
  }

  /** Runs a prepared call and cuts its output to the budget. */
  async run(prepared: PreparedCall, ctx: ToolContext): Promise<{ result: ToolResult; truncated: boolean }> {
    let result: ToolResult;
    if (!prepared.run) {
      result = { output: prepared.rejection ?? 'The call was not run.', isError: true, summary: 'not run' };
    } else {
      try {
        result = await prepared.run(ctx);
      } catch (error) {
        result = { output: errorText(error, prepared.call.name), isError: true, summary: 'failed' };
      }
    }
    const cut = truncateForModel(result.output, this.outputTokenBudget, result.moreHint);
    return { result: { ...result, output: cut.text }, truncated: cut.truncated };
  }
}

/** Whether `now` still offers `tool`: the same name, from the same origin (an MCP server's tool from that server). */
export function stillOffered(tool: Tool, now: ToolSnapshot): boolean {
  const current = now.get(tool.name);
  return current !== undefined && current.origin === tool.origin;
}

/** What the model reads for a call of a tool that was removed after the request offered it: nothing ran. */
export function noLongerOffered(tool: Tool, now: ToolSnapshot): string {
  return (
    `The tool ${tool.name} is no longer offered: its server removed it after it was offered to you, ` +
    `so the call was not run. The tools offered now are: ${now.names().join(', ')}.`
  );
}

type ReadArguments = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * A call's arguments as the tool will take them: JSON, or what the tool makes of the model's own
 * spelling, even text that is not JSON (a bare patch). Broken JSON stays an error the model is told about.
 */
export function readArguments(tool: Tool | undefined, raw: string): ReadArguments {
  const parsed = parseArguments(raw);
  const brokenJson = !parsed.ok && /^\s*[[{]/.test(raw);
  if (!tool?.normalizeArguments || brokenJson) return parsed;
  const value = safeNormalize(() => tool.normalizeArguments!(parsed.ok ? parsed.value : raw));
  return value !== undefined && typeof value !== 'string' ? { ok: true, value } : parsed;
}

function parseArguments(raw: string): ReadArguments {
  const text = raw.trim() === '' ? '{}' : raw;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** A tool's failure in words: its own message for ToolErrors and plain errors, never a stack. */
function errorText(error: unknown, toolName: string): string {
  if (error instanceof ToolError) return error.message;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `${toolName} failed: ${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`;
  }
  return `${toolName} failed: ${String(error)}`;
}

function safeNormalize(normalize: () => unknown): unknown {
  try {
    return normalize();
  } catch {
    return undefined;
  }
}

function safeDescribe(describe: () => string, fallback: string): string {
  try {
    return describe();
  } catch {
    return fallback;
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
