// shell and run_tests are sent with every request: their definitions must
// stay within their token budgets.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { runTestsTool } from '../../tools/run-tests.js';
import { shellTool } from '../../tools/shell.js';
import type { Tool } from '../../tools/tool.js';

function specTokens(tool: Tool): number {
  const spec = {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
  return encode(JSON.stringify(spec)).length;
}

describe('command tool definitions', () => {
  it.each([
    [shellTool, 160],
    [runTestsTool, 180],
  ] as const)('$name fits its token budget', (tool, budget) => {
    expect(specTokens(tool)).toBeLessThanOrEqual(budget);
  });

  it.each([shellTool, runTestsTool])('$name is an exec tool with a closed schema', (tool) => {
    expect(tool.kind).toBe('exec');
    expect(tool.parameters).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
