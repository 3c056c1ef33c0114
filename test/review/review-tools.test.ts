// The review offers the model read-only tools, plus the symbol index and
// the test runner when the build has them, and never an edit.
import { describe, expect, it } from 'vitest';
import { reviewTools } from '../../src/review/review-tools.js';
import { defaultTools } from '../../tools/default-tools.js';
import { defineTool, type Tool, type ToolKind } from '../../tools/tool.js';

function fake(name: string, kind: ToolKind): Tool {
  return defineTool({
    name,
    kind,
    description: name,
    parameters: {},
    describe: () => name,
    execute: async () => ({ output: '' }),
  });
}

describe('reviewTools', () => {
  it('takes the reading tools and the test runner of this build, and nothing that edits or runs commands', () => {
    const names = reviewTools(defaultTools()).map((tool) => tool.name);
    expect(names).toEqual(['read_file', 'grep', 'symbols', 'run_tests']);
  });

  it('takes symbols and run_tests when the registry has them, in registry order', () => {
    const tools = [
      fake('read_file', 'read'),
      fake('grep', 'read'),
      fake('symbols', 'read'),
      fake('shell', 'exec'),
      fake('run_tests', 'exec'),
    ];
    expect(reviewTools(tools).map((tool) => tool.name)).toEqual(['read_file', 'grep', 'symbols', 'run_tests']);
  });

  it('never takes an edit tool, even under a review tool name', () => {
    expect(reviewTools([fake('read_file', 'edit')])).toEqual([]);
  });
});
