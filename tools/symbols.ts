// symbols: where a name is defined, where it is used, and the outline of a
// file, read by tree-sitter. Definitions come from an index kept on disk
// per repository (built on first use, then updated for changed files only);
// references are found by a ripgrep pass for candidate lines that
// tree-sitter then confirms, so comments and strings never count. All
// parsing happens in a worker thread.
import { stat } from 'node:fs/promises';
import { GrepCollector } from './grep-match.js';
import { gitGrepSearch } from './grep-git.js';
import { ripgrepSearch } from './grep-ripgrep.js';
import type { GrepSearch } from './grep-search.js';
import { missingPathError } from './missing-path.js';
import { promptText } from './package-files.js';
import { plural } from './plural.js';
import { findRipgrep, INSTALL_RIPGREP_HINT, type RipgrepLocator } from './ripgrep.js';
import { formatDefinition, formatOutline, formatReferences } from './symbol-format.js';
import { splitQualified } from './symbol-index-query.js';
import type { RefreshStats } from './symbol-index-refresh.js';
import { indexFileFor } from './symbol-index-store.js';
import { languageOf, SOURCE_GLOB, type LanguageId } from './symbol-languages.js';
import { rankByMatchAndPlace } from './symbol-rank.js';
import { askSymbolWorker, type FileReference, type ShownDefinition } from './symbol-requests.js';
import type { Definition } from './symbol-tags.js';
import { defineTool, ToolError, type Tool, type ToolContext, type ToolResult } from './tool.js';

export interface SymbolsArgs {
  name?: string;
  file?: string;
  references?: boolean;
}

export const DEFINITIONS_SHOWN = 30;
export const OUTLINE_SHOWN = 300;
export const REFERENCES_SHOWN = 100;
/** A reference search parses at most this many files (those nearest the recent work, then in tree order). */
export const REFERENCE_FILES_LIMIT = 300;
/** Lines the text search may find before it stops. */
const REFERENCE_LINES_LIMIT = 20_000;

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
      return args.references ? references(name, within, ctx, deps) : definitions(name, within, ctx, deps);
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
  const resolved = await ctx.workspace.resolveForRead(file);
  const info = await stat(resolved.absolute).catch(() => undefined);
  if (!info) throw await missingPathError(ctx.workspace, resolved, 'file or directory');
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
  return notes;
}

async function outline(file: string, ctx: ToolContext): Promise<ToolResult> {
  const resolved = await ctx.workspace.resolveForRead(file);
  const info = await stat(resolved.absolute).catch(() => undefined);
  if (!info) throw await missingPathError(ctx.workspace, resolved, 'file');
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

async function references(
  qualified: string,
  within: string | undefined,
  ctx: ToolContext,
  deps: SymbolsDependencies,
): Promise<ToolResult> {
  const { name } = splitQualified(qualified);
  if (!/^[\p{L}\p{N}_$]+$/u.test(name)) {
    throw new ToolError(`references needs an identifier; ${JSON.stringify(name)} is not one.`);
  }
  const rg = await deps.findRipgrep();
  if (!rg && !ctx.workspace.isGitRepo) {
    throw new ToolError(
      `symbols cannot search for references: ripgrep (rg) is not installed and this is not a git repository. ${INSTALL_RIPGREP_HINT}`,
    );
  }
  // A text search finds the candidate lines; tree-sitter then keeps the real uses.
  const collector = new GrepCollector({
    context: 0,
    maxLineChars: 1,
    storeLimit: REFERENCE_LINES_LIMIT,
    accept: (file) => languageOf(file) !== undefined,
  });
  const escaped = name.replace(/\$/g, '\\$');
  const search: GrepSearch = {
    workspace: ctx.workspace,
    target: within ?? '.',
    // ripgrep knows \b; git grep's dialect may not, and tree-sitter checks whole names anyway.
    pattern: rg ? `\\b${escaped}\\b` : escaped,
    caseInsensitive: false,
    context: 0,
    nameGlob: SOURCE_GLOB,
    signal: ctx.signal,
    collector,
  };
  const outcome = rg ? await ripgrepSearch(rg, search) : await gitGrepSearch(search);
  if (!outcome.ok) throw new ToolError(`The search for ${name} failed: ${outcome.message}`);

  const rows = new Map<string, number[]>();
  for (const match of collector.matches()) {
    const list = rows.get(match.file) ?? [];
    list.push(match.line - 1);
    rows.set(match.file, list);
  }
  const recent = ctx.recentPaths ?? [];
  const files = rankByMatchAndPlace(
    [...rows.keys()].map((file) => ({ file, line: 0 })),
    recent,
  ).slice(0, REFERENCE_FILES_LIMIT);
  const found = await askSymbolWorker(
    {
      op: 'references',
      root: ctx.workspace.root,
      name,
      candidates: files.map(({ file }) => ({ file, rows: rows.get(file)! })),
    },
    ctx.signal,
  );
  const complete = !collector.full && files.length === rows.size;
  const ranked = rankByMatchAndPlace(found.references, recent);
  const shown = ranked.slice(0, REFERENCES_SHOWN);
  const data: SymbolsData = { mode: 'references', name, references: shown, total: ranked.length, complete };
  const where = within ? ` in ${within}` : '';
  const fileCount = new Set(ranked.map((reference) => reference.file)).size;
  if (shown.length === 0) {
    return {
      output:
        `No references to ${name}${where} in code (comments and strings do not count; definitions are not listed). ` +
        'Try grep for text matches.',
      data,
      summary: 'no references',
    };
  }
  const lines = [formatReferences(shown)];
  if (!complete || ranked.length > shown.length) {
    const of = `${ranked.length}${complete ? '' : '+'}`;
    lines.push(
      `[${shown.length} of ${of} references shown, in ${plural(fileCount, 'file')}: nearest the files you worked on first. ` +
        'Narrow with file.]',
    );
  }
  return {
    output: lines.join('\n'),
    data,
    summary: `${plural(ranked.length, 'reference')} in ${plural(fileCount, 'file')}`,
    moreHint: 'symbols with file to narrow the search',
  };
}
