// JSON schema → node-llama-cpp's grammar subset, checked against the real
// grammar: what a tool call may and may not look like.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Llama } from 'node-llama-cpp';
import { toGbnfJsonSchema } from '../../src/model/json-schema-to-gbnf.js';

const grep = {
  type: 'object',
  properties: {
    pattern: { type: 'string', description: 'Rust regex' },
    glob: { type: 'string' },
    context: { type: 'integer', minimum: 0, maximum: 10 },
    case_insensitive: { type: 'boolean' },
  },
  required: ['pattern'],
  additionalProperties: false,
};

let llama: Llama;
beforeAll(async () => {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
});

async function accepts(schema: unknown, text: string, optionalAsExtraKeys = true): Promise<boolean> {
  const grammar = await llama.createGrammarForJsonSchema(toGbnfJsonSchema(schema, { optionalAsExtraKeys }) as never);
  try {
    grammar.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('toGbnfJsonSchema', () => {
  it('lets a tool call leave out optional parameters', async () => {
    expect(await accepts(grep, '{"pattern": "todo"}')).toBe(true);
    expect(await accepts(grep, '{"pattern": "todo", "context": 2, "case_insensitive": true}')).toBe(true);
  });

  it('still requires the required parameters', async () => {
    expect(await accepts(grep, '{"glob": "*.ts"}')).toBe(false);
    expect(await accepts(grep, '{}')).toBe(false);
  });

  it('holds values to the types the parameters may have', async () => {
    expect(await accepts(grep, '{"pattern": 42}')).toBe(false);
    expect(await accepts(grep, '{"pattern": "x", "context": {"a": 1}}')).toBe(false);
  });

  it('without the option, requires every listed property (node-llama-cpp’s own behaviour)', async () => {
    expect(await accepts(grep, '{"pattern": "todo"}', false)).toBe(false);
  });

  it('keeps what the grammar can enforce and drops the rest', () => {
    expect(toGbnfJsonSchema(grep)).toEqual({
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Rust regex' },
        glob: { type: 'string' },
        context: { type: 'integer' },
        case_insensitive: { type: 'boolean' },
      },
      required: ['pattern'],
    });
    expect(toGbnfJsonSchema({ type: ['string', 'null'], pattern: '^a' })).toEqual({ type: ['string', 'null'] });
    expect(
      toGbnfJsonSchema({ anyOf: [{ const: 'a' }, { type: 'array', items: { enum: [1, 2] }, maxItems: 3 }] }),
    ).toEqual({
      oneOf: [{ const: 'a' }, { type: 'array', items: { enum: [1, 2] }, maxItems: 3 }],
    });
  });

  it('accepts any JSON value where the schema says nothing the grammar can use', async () => {
    expect(
      await accepts({ type: 'object', properties: { data: {} }, required: ['data'] }, '{"data": [1, {"x": null}]}'),
    ).toBe(true);
    expect(await accepts({ type: 'object' }, '{"free": "form"}')).toBe(true);
  });
});
