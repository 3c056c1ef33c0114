// The definitions of the read-only tools, as an OpenAI-compatible request
// carries them, must stay within their token budgets: every prompt token is
// paid at about 400 tokens a second on a laptop.
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { grepTool } from '../../tools/grep.js';
import { listFilesTool } from '../../tools/list-files.js';
import { readFileTool } from '../../tools/read-file.js';
import type { Tool } from '../../tools/tool.js';

function specTokens(tool: Tool): number {
  const spec = {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
  return encode(JSON.stringify(spec)).length;
}

describe('read-only tool definitions', () => {
  it.each([
    [readFileTool, 170],
    [listFilesTool, 150],
    [grepTool, 230],
  ] as const)('$name fits its token budget', (tool, budget) => {
    expect(specTokens(tool)).toBeLessThanOrEqual(budget);
  });

  it.each([readFileTool, listFilesTool, grepTool])('$name is a read tool with a closed, compact schema', (tool) => {
    expect(tool.kind).toBe('read');
    expect(tool.description).not.toMatch(/\n$/);
    expect(tool.parameters).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
