// JSON schema → node-llama-cpp's grammar subset, checked against the real
// grammar: what a structured answer may and may not look like.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Llama } from 'node-llama-cpp';
import { toGbnfJsonSchema } from '../../src/model/json-schema-to-gbnf.js';

const finding = {
  type: 'object',
  properties: {
    file: { type: 'string', description: 'Path in the repository' },
    line: { type: 'integer', minimum: 1 },
    severity: { enum: ['low', 'high'] },
    note: { type: 'string', maxLength: 200 },
  },
  required: ['file', 'line', 'severity'],
  additionalProperties: false,
};

let llama: Llama;
beforeAll(async () => {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
});

async function accepts(schema: unknown, text: string): Promise<boolean> {
  const grammar = await llama.createGrammarForJsonSchema(toGbnfJsonSchema(schema) as never);
  try {
    grammar.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('toGbnfJsonSchema', () => {
  it('accepts an answer that gives every listed property a value of its type', async () => {
    expect(await accepts(finding, '{"file": "a.ts", "line": 3, "severity": "high", "note": "off by one"}')).toBe(true);
  });

  it('requires every listed property, the optional ones too (node-llama-cpp’s grammar)', async () => {
    expect(await accepts(finding, '{"file": "a.ts", "line": 3, "severity": "high"}')).toBe(false);
    expect(await accepts(finding, '{}')).toBe(false);
  });

  it('holds values to their types and enums, and refuses unlisted keys', async () => {
    expect(await accepts(finding, '{"file": "a.ts", "line": "3", "severity": "high", "note": ""}')).toBe(false);
    expect(await accepts(finding, '{"file": "a.ts", "line": 3, "severity": "medium", "note": ""}')).toBe(false);
    expect(await accepts(finding, '{"file": "a.ts", "line": 3, "severity": "low", "note": "", "extra": 1}')).toBe(
      false,
    );
  });

  it('keeps what the grammar can enforce and drops the rest', () => {
    expect(toGbnfJsonSchema(finding)).toEqual({
      type: 'object',
      properties: {
        file: { type: 'string', description: 'Path in the repository' },
        line: { type: 'integer' },
        severity: { enum: ['low', 'high'] },
        note: { type: 'string', maxLength: 200 },
      },
      required: ['file', 'line', 'severity'],
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
