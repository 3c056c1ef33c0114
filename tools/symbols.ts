// symbols: where a name is defined, where it is used, and the outline of a
// file, read by tree-sitter. Definitions come from an index kept on disk
// per repository (built on first use, then updated for changed files only);
// references are in symbols/references.ts. All parsing happens in worker
// threads.
import { statForRead } from './files/missing-path.js';
import { promptText } from './package/files.js';
import { plural } from './text/plural.js';
import { findRipgrep, type RipgrepLocator } from './grep/ripgrep.js';
import { formatDefinition, formatOutline } from './symbols/format.js';
import { splitQualified } from './symbols/index-query.js';
import type { RefreshStats } from './symbols/index-refresh.js';
import { indexFileFor } from './symbols/index-store.js';
import { languageOf, type LanguageId } from './symbols/languages.js';
import { findReferences } from './symbols/references.js';
import { askSymbolWorker, type FileReference, type ShownDefinition } from './symbols/requests.js';
import type { Definition } from './symbols/tags.js';
import { defineTool, ToolError, type Tool, type ToolContext, type ToolResult } from './tool.js';

export interface SymbolsArgs {
  name?: string;
  file?: string;
  references?: boolean;
}

export const DEFINITIONS_SHOWN = 30;
export const OUTLINE_SHOWN = 300;

export type SymbolsData =
  | {
      mode: 'definitions';
      name: string;
      /** The definitions shown, in order. */
      definitions: ShownDefinition[];
      total: number;
      similar: string[];
      index: RefreshStats;
    }
  | { mode: 'outline'; file: string; language: LanguageId; definitions: Definition[] }
  | {
      mode: 'references';
      name: string;
      /** The references shown, in order. */
      references: FileReference[];
      total: number;
      /** False when the text search or the parse limit cut the search short. */
      complete: boolean;
      /** Candidate files left unparsed (too large, minified, generated). */
      skippedFiles: number;
    };

export interface SymbolsDependencies {
  /** Where ripgrep is (injected so tests can take the git fallbacks). */
  findRipgrep: RipgrepLocator;
}

export function createSymbolsTool(deps: SymbolsDependencies = { findRipgrep }): Tool<SymbolsArgs> {
  return defineTool<SymbolsArgs>({
    name: 'symbols',
    kind: 'read',
    description: promptText('tools/symbols.md'),
    parameters: {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'e.g. parseConfig, or Owner.method' },
        file: { type: 'string', description: 'Outline this file; with name, search only this file or directory' },
        references: { type: 'boolean', description: 'Find uses of name, not definitions' },
      },
      additionalProperties: false,
    },
    describe(args) {
      const where = args.file ? ` in ${args.file}` : '';
      if (!args.name) return `outline ${args.file ?? ''}`;
      return `${args.references ? 'references to' : 'definition of'} ${args.name}${where}`;
    },
    async execute(args, ctx): Promise<ToolResult> {
      const name = args.name === undefined ? undefined : cleanName(args.name);
      if (name === undefined) {
        if (args.references) throw new ToolError('references needs a name: give the symbol whose uses you want.');
        if (args.file === undefined) {
          throw new ToolError(
            'Give name (where it is defined, or with references where it is used) or file (its outline).',
          );
        }
        return outline(args.file, ctx);
      }
      const within = args.file === undefined ? undefined : await searchRoot(args.file, ctx);
      return args.references
        ? findReferences(name, within, ctx, await deps.findRipgrep())
        : definitions(name, within, ctx, deps);
    },
  });
}

export const symbolsTool = createSymbolsTool();

/** A name as the model may write it ("parse()", " Foo.bar ") → the name; one with spaces is refused. */
function cleanName(raw: string): string {
  const name = raw.trim().replace(/\(\)$/, '');
  if (name === '' || /\s/.test(name)) {
    throw new ToolError(
      `${JSON.stringify(raw)} is not a symbol name. Give one name, like parseConfig or Parser.parse.`,
    );
  }
  return name;
}

/** The file or directory a name search is limited to, relative to the root. */
async function searchRoot(file: string, ctx: ToolContext): Promise<string | undefined> {
  const { resolved } = await statForRead(ctx.workspace, file, 'file or directory');
  return resolved.relative === '.' ? undefined : resolved.relative;
}

async function definitions(
  name: string,
  within: string | undefined,
  ctx: ToolContext,
  deps: SymbolsDependencies,
): Promise<ToolResult> {
  const root = ctx.workspace.root;
  const found = await askSymbolWorker(
    {
      op: 'definitions',
      root,
      isGitRepo: ctx.workspace.isGitRepo,
      rg: await deps.findRipgrep(),
      indexFile: ctx.cacheDir ? indexFileFor(ctx.cacheDir, root) : undefined,
      search: { name, ...(within ? { within } : {}) },
      recentPaths: ctx.recentPaths ?? [],
      limit: DEFINITIONS_SHOWN,
    },
    ctx.signal,
  );
  const { shown } = found;
  const data: SymbolsData = {
    mode: 'definitions',
    name,
    definitions: shown,
    total: found.total,
    similar: found.similar,
    index: found.index,
  };
  const where = within ? ` in ${within}` : '';
  const notes = indexNotes(found.index);
  if (shown.length === 0) {
    return {
      output: [
        `No definition of ${name}${where} among ${plural(found.index.files, 'indexed source file')}. ` +
          'Check the spelling, or try grep (it may be defined in another language or built at run time).',
        ...notes,
      ].join('\n'),
      data,
      summary: 'not found',
    };
  }
  const lines: string[] = [];
  const partial = shown[0]!.match === 'partial';
  if (found.ownerIgnored) {
    lines.push(`[No ${name}; definitions of ${splitQualified(name).name} in any owner:]`);
  }
  if (partial) lines.push(`[No definition named ${splitQualified(name).name}${where}; names containing it:]`);
  lines.push(...shown.map(formatDefinition));
  if (found.total > shown.length) {
    lines.push(
      `[${shown.length} of ${found.total} shown: exact names first, then those near the files you worked on. ` +
        'Narrow with file or Owner.name.]',
    );
  }
  if (!partial && found.similar.length > 0) lines.push(`[Names containing it: ${found.similar.join(', ')}]`);
  return {
    output: [...lines, ...notes].join('\n'),
    data,
    summary: `${plural(found.total, partial ? 'similar name' : 'definition')}`,
    moreHint: 'symbols with file to narrow the search',
  };
}

/** What the model should know about the index's coverage (files left out, a cut listing). */
function indexNotes(index: RefreshStats): string[] {
  const notes: string[] = [];
  const skipped = Object.entries(index.skipped);
  if (skipped.length > 0) {
    const count = skipped.reduce((sum, [, n]) => sum + n, 0);
    const reasons = skipped.map(([reason, n]) => `${n} ${reason}`).join(', ');
    notes.push(`[${plural(count, 'file')} not indexed (${reasons}); grep searches them.]`);
  }
  if (!index.complete) notes.push(`[Only the first ${index.files} source files are indexed.]`);
  if (index.warning) notes.push(`[Note: ${index.warning}]`);
  return notes;
}

async function outline(file: string, ctx: ToolContext): Promise<ToolResult> {
  const { resolved, info } = await statForRead(ctx.workspace, file, 'file');
  const shown = resolved.relative;
  if (info.isDirectory()) {
    throw new ToolError(
      `${shown} is a directory. Give a file for its outline, or a name to search for in ${shown}; list_files lists it.`,
    );
  }
  if (!languageOf(shown)) {
    throw new ToolError(
      `${shown} is not in a language symbols reads (TypeScript, JavaScript, Python, Go, Rust, Java, C, C++). ` +
        'Use read_file or grep.',
    );
  }
  const result = await askSymbolWorker({ op: 'outline', root: ctx.workspace.root, file: shown }, ctx.signal);
  if (result.skipped) {
    throw new ToolError(`${shown} was not parsed (${result.skipped}). Use read_file with a line range, or grep.`);
  }
  const data: SymbolsData = {
    mode: 'outline',
    file: shown,
    language: result.language,
    definitions: result.definitions,
  };
  if (result.definitions.length === 0) {
    return { output: `${shown}: no definitions found. Read it with read_file.`, data, summary: 'no definitions' };
  }
  const listed = result.definitions.slice(0, OUTLINE_SHOWN);
  const lines = [`${shown}: ${plural(result.definitions.length, 'definition')}`, formatOutline(listed)];
  if (listed.length < result.definitions.length) {
    lines.push(
      `[${listed.length} of ${result.definitions.length} shown. Read the rest with read_file from line ${listed.at(-1)!.line + 1}.]`,
    );
  }
  return {
    output: lines.join('\n'),
    data,
    summary: plural(result.definitions.length, 'definition'),
    moreHint: 'read_file with start_line',
  };
}
