// The review's code context from the tree-sitter symbol index, in whole
// reviews of real repositories with a scripted model: which definitions and
// callers reach the model, and when the diff-based provider stands in.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diffCodeContext } from '../../src/review/diff-code-context.js';
import { runReview } from '../../src/review/run-review.js';
import { symbolCodeContext } from '../../src/review/symbol-code-context.js';
import { findRipgrep, type RipgrepLocator } from '../../tools/grep/ripgrep.js';
import { reviewAgent } from './review-agent.js';
import { stagedRepo, type StagedRepo } from './staged-repo.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Runs a review of the staged change and returns what the model was asked, and what the provider noted. */
async function reviewPrompt(
  staged: StagedRepo,
  { rg = findRipgrep, indexBudgetMs }: { rg?: RipgrepLocator; indexBudgetMs?: number } = {},
) {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-review-cache-'));
  cleanups.push(() => rmSync(cacheDir, { recursive: true, force: true }));
  const root = staged.repo.root;
  const { agent, backend, workspace } = await reviewAgent(root, [{ answer: '{"findings": []}' }]);
  const target = { kind: 'staged' } as const;
  const notes: string[] = [];
  await runReview({
    agent,
    root,
    target,
    codeContext: symbolCodeContext({
      workspace,
      target,
      cacheDir,
      fallback: diffCodeContext(root, target),
      note: (message) => notes.push(message),
      findRipgrep: rg,
      ...(indexBudgetMs !== undefined ? { indexBudgetMs } : {}),
    }),
    signal: new AbortController().signal,
  });
  const message = backend.requests[0]!.messages.find((m) => m.role === 'user');
  const prompt = message?.role === 'user' ? message.content : '';
  return { prompt, notes, context: prompt.slice(prompt.indexOf('# Changed definitions')) };
}

const PARSER = `export class Parser {
  constructor(private readonly strict: boolean) {}

  parse(text: string): string[] {
    return text.split(',');
  }
}
`;

const MAIN = `import { Parser } from './parser';

// parse is explained in the README; Parser.parse( in a comment is not a call.
const help = 'call parse(text) to split';

export function run(input: string): string[] {
  const parser = new Parser(true);
  return parser.parse(input);
}
`;

function parserChange(): Promise<StagedRepo> {
  return stagedRepo(
    { 'src/parser.ts': PARSER, 'src/main.ts': MAIN },
    (repo) => repo.write('src/parser.ts', PARSER.replace("text.split(',')", "text.split(',').map((p) => p.trim())")),
    cleanups,
  );
}

describe('code context from the symbol index', () => {
  it('gives a changed TypeScript method its whole definition and its callers, not comments or strings', async () => {
    const { context, notes } = await reviewPrompt(await parserChange());
    expect(context).toBe(
      [
        '# Changed definitions and where they are used',
        '- Parser.parse, defined at src/parser.ts:4-6: parse(text: string): string[] {',
        '  used in run at src/main.ts:8: return parser.parse(input);',
        '',
        'Check what you need with the tools, then answer with the findings JSON only.',
      ].join('\n'),
    );
    expect(notes).toEqual([]);
  });

  it('does the same for Python', async () => {
    const shapes =
      'class Circle:\n    def __init__(self, radius):\n        self.radius = radius\n\n' +
      '    def area(self):\n        return 3.14 * self.radius ** 2\n';
    const report =
      'from pkg.shapes import Circle\n\n# area() is computed by Circle\nLABEL = "the area() of the circle"\n\n\n' +
      'def describe(circle):\n    value = circle.area()\n    return LABEL, value\n';
    const staged = await stagedRepo(
      { 'pkg/shapes.py': shapes, 'pkg/report.py': report },
      (repo) => repo.write('pkg/shapes.py', shapes.replace('3.14 ', '3.14159 ')),
      cleanups,
    );
    const { context } = await reviewPrompt(staged);
    expect(context).toContain(
      [
        '- Circle.area, defined at pkg/shapes.py:5-6: def area(self):',
        '  used in describe at pkg/report.py:8: value = circle.area()',
        '',
      ].join('\n'),
    );
    expect(context).not.toContain('pkg/report.py:3');
    expect(context).not.toContain('pkg/report.py:4');
  });

  it('lists the definitions the change edits before those it adds, and leaves out new ones nothing uses', async () => {
    const staged = await stagedRepo(
      { 'src/parser.ts': PARSER, 'src/main.ts': MAIN },
      (repo) => {
        repo.write('src/parser.ts', PARSER.replace("text.split(',')", "text.split(';')"));
        repo.write(
          'src/extra.ts',
          'export function shout(text: string): string {\n  return text.toUpperCase();\n}\n\n' +
            'export function unused(): number {\n  return 1;\n}\n',
        );
        repo.write(
          'src/main.ts',
          MAIN.replace(
            "import { Parser } from './parser';",
            "import { Parser } from './parser';\nimport { shout } from './extra';",
          ).replace('parser.parse(input)', 'parser.parse(shout(input))'),
        );
      },
      cleanups,
    );
    const { context } = await reviewPrompt(staged);
    const defined = [...context.matchAll(/^- (\S+), defined at/gm)].map((match) => match[1]);
    // The diff lists src/extra.ts first; the new shout comes last all the same, and unused not at all.
    expect(defined).toEqual(['run', 'Parser.parse', 'shout']);
    expect(context).toContain('- shout, defined at src/extra.ts:1-3');
    expect(context).toContain('  used in run at src/main.ts:9: return parser.parse(shout(input));');
  });

  it('falls back to the diff for a staged file whose working copy has changed since', async () => {
    const staged = await parserChange();
    // Unstaged lines on top: the working copy's parse is three lines lower than the staged one.
    const working = readFileSync(path.join(staged.repo.root, 'src/parser.ts'), 'utf8');
    staged.repo.write('src/parser.ts', `// one\n// two\n// three\n${working}`);
    const { context } = await reviewPrompt(staged);
    // The diff-based provider, on the staged version: the definition line above the change, git grep's uses.
    expect(context).toContain('- parse, defined at src/parser.ts:4: parse(text: string): string[] {');
    expect(context).toContain('used at src/main.ts:8: return parser.parse(input);');
    expect(context).not.toContain('src/parser.ts:7');
  });

  it('does not list a caller at a line its file has only in the working tree', async () => {
    const staged = await parserChange();
    staged.repo.write('src/main.ts', `// unstaged\n${MAIN}`);
    const { context } = await reviewPrompt(staged);
    expect(context).toContain('- Parser.parse, defined at src/parser.ts:4-6');
    expect(context).not.toContain('src/main.ts:9');
  });

  it('falls back to the diff for a language the index cannot read, beside one it can', async () => {
    const greet = 'def greet(name)\n  "hello #{name}"\nend\n';
    const staged = await stagedRepo(
      { 'src/parser.ts': PARSER, 'src/main.ts': MAIN, 'lib/greet.rb': greet, 'lib/main.rb': 'puts greet("you")\n' },
      (repo) => {
        repo.write('src/parser.ts', PARSER.replace("text.split(',')", "text.split(';')"));
        repo.write('lib/greet.rb', greet.replace('hello', 'hi'));
      },
      cleanups,
    );
    const { context, notes } = await reviewPrompt(staged);
    expect(context).toContain('- Parser.parse, defined at src/parser.ts:4-6');
    expect(context).toContain(
      '- greet, defined at lib/greet.rb:1: def greet(name)\n  used at lib/main.rb:1: puts greet("you")',
    );
    expect(notes).toEqual([]);
  });

  it('falls back to the diff wholesale when the symbol lookups fail, and says so', async () => {
    const { context, notes } = await reviewPrompt(await parserChange(), { rg: async () => '/nonexistent/rg' });
    expect(context).toContain('- parse, defined at src/parser.ts:4: parse(text: string): string[] {');
    expect(context).toContain('used at src/main.ts:3: // parse is explained');
    expect(notes).toEqual([
      expect.stringMatching(
        /^The symbol index could not be used \(.*ENOENT.*\); changed definitions come from the diff\.$/,
      ),
    ]);
  });

  it('takes the context from the diff while the index is still being built past its time budget', async () => {
    const { context, notes } = await reviewPrompt(await parserChange(), { indexBudgetMs: 0 });
    expect(context).toContain('- parse, defined at src/parser.ts:4: parse(text: string): string[] {');
    expect(notes).toEqual([expect.stringMatching(/^The symbol index is still being built/)]);
  });
});
