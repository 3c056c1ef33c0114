// Checks a tool call's arguments against the tool's JSON schema and says,
// in words the model can act on, which field is wrong and why.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Tool } from './tool.js';

export type ValidationResult = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

export class ArgumentValidator {
  private ajv: import('ajv').Ajv | undefined;
  private readonly compiled = new Map<string, ValidateFunction>();

  async validate(tool: Tool, args: unknown): Promise<ValidationResult> {
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      return { ok: false, message: `The arguments of ${tool.name} must be a JSON object.` };
    }
    const check = await this.compile(tool);
    // Validate a copy: coercion ("5" → 5) and defaults change the object.
    const value = structuredClone(args) as Record<string, unknown>;
    if (check(value)) return { ok: true, value };
    const problems = (check.errors ?? []).map((error) => describeError(error, tool));
    return { ok: false, message: `Invalid arguments for ${tool.name}: ${[...new Set(problems)].join('; ')}.` };
  }

  private async compile(tool: Tool): Promise<ValidateFunction> {
    const cached = this.compiled.get(tool.name);
    if (cached) return cached;
    // Loaded on the first tool call, so startup does not pay for it.
    if (!this.ajv) {
      const { Ajv } = await import('ajv');
      this.ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
    }
    const fn = this.ajv.compile(tool.parameters);
    this.compiled.set(tool.name, fn);
    return fn;
  }
}

function describeError(error: ErrorObject, tool: Tool): string {
  const field = error.instancePath ? `field "${error.instancePath.slice(1).replaceAll('/', '.')}"` : 'the arguments';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required field "${String(params.missingProperty)}"`;
    case 'additionalProperties': {
      const known = Object.keys((tool.parameters.properties as Record<string, unknown> | undefined) ?? {});
      return `unknown field "${String(params.additionalProperty)}" (valid fields: ${known.join(', ')})`;
    }
    case 'enum':
      return `${field} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${field} must be ${String(params.type)}`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}
