// The tool definitions gpt-oss reads, in harmony's TypeScript form.
import { describe, expect, it } from 'vitest';
import { renderFunctionsNamespace } from '../../src/model/harmony-tool-docs.js';

describe('renderFunctionsNamespace', () => {
  it('writes each tool as a commented type, optional parameters with ?, defaults noted', () => {
    const text = renderFunctionsNamespace([
      { name: 'git_status', description: 'Show the working tree status.' },
      {
        name: 'search',
        description: 'Search the repository.\nRegex syntax.',
        schema: {
          type: 'object',
          properties: {
            pattern: { type: 'string', description: 'What to find' },
            mode: { enum: ['fast', 'full'], default: 'fast' },
            paths: { type: 'array', items: { type: ['string', 'null'] } },
            'max-count': { type: 'integer', default: 100 },
            where: { type: 'object', properties: { dir: { type: 'string' } }, required: ['dir'] },
          },
          required: ['pattern'],
        },
      },
    ]);
    expect(text).toBe(
      [
        '# Tools',
        '',
        '## functions',
        '',
        'namespace functions {',
        '',
        '// Show the working tree status.',
        'type git_status = () => any;',
        '',
        '// Search the repository.',
        '// Regex syntax.',
        'type search = (_: {',
        '// What to find',
        'pattern: string,',
        'mode?: "fast" | "full", // default: fast',
        'paths?: (string | null)[],',
        '"max-count"?: number, // default: 100',
        'where?: {dir: string},',
        '}) => any;',
        '',
        '} // namespace functions',
      ].join('\n'),
    );
  });
});
