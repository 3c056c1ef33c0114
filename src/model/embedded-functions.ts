// Our tools as node-llama-cpp functions: a grammar schema for the call's
// arguments, and the tool's own JSON schema, which the harmony wrapper
// renders for the model (node-llama-cpp would render the grammar schema,
// which cannot say which parameters are optional).
import type { ChatModelFunctions } from 'node-llama-cpp';
import type { ToolSpec } from './backend.js';
import { toGbnfJsonSchema } from './json-schema-to-gbnf.js';

export type DocumentedFunctions = ChatModelFunctions & {
  readonly [name: string]: { readonly schema?: Record<string, unknown> };
};

export function toFunctions(tools: readonly ToolSpec[]): DocumentedFunctions | undefined {
  if (tools.length === 0) return undefined;
  return Object.fromEntries(
    tools.map((tool) => [
      tool.name,
      {
        description: tool.description,
        params: toGbnfJsonSchema(tool.parameters, { optionalAsExtraKeys: true }),
        schema: tool.parameters,
      },
    ]),
  );
}
