// symbols with references: where a name is used. A text search (ripgrep,
// else git grep) finds the lines that mention it; tree-sitter, in a worker
// thread, keeps those where it is code (a call, a type, an import, any other
// use), never a comment, a string or its own definition. The search takes
// several names at once for callers other than the tool (the review).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { GrepCollector } from '../grep/match.js';
import { gitGrepSearch } from '../grep/git-grep-search.js';
import { ripgrepSearch } from '../grep/ripgrep-search.js';
import type { GrepSearch } from '../grep/search.js';
import { plural } from '../text/plural.js';
import { INSTALL_RIPGREP_HINT } from '../grep/ripgrep.js';
import { formatReferences } from './format.js';
import { splitQualified } from './index-query.js';
import { languageOf, SOURCE_GLOB } from './languages.js';
import { rankByMatchAndPlace } from './rank.js';
import { matchOwner } from './owner-match.js';
import { askSymbolWorker, type FileReference } from './requests.js';
import type { SymbolsData } from '../symbols.js';
import { ToolError, type ToolContext, type ToolResult } from '../tool.js';
import { openAnchoredCwd } from '../workspace/anchored-cwd.js';
import type { Workspace } from '../workspace/workspace.js';

export const REFERENCES_SHOWN = 100;
/** A search parses at most this many files (those nearest the recent work, then in tree order). */
export const REFERENCE_FILES_LIMIT = 300;
/** Lines the text search may find before it stops. */
const REFERENCE_LINES_LIMIT = 20_000;

/** `symbols {name, references: true}`: where `qualified` (its last part, for Owner.name) is used. */
export async function findReferences(
  qualified: string,
  within: string | undefined,
  ctx: ToolContext,
  rg: string | undefined,
): Promise<ToolResult> {
  const { owner, name } = splitQualified(qualified);
  if (!isIdentifier(name)) {
    throw new ToolError(`references needs an identifier; ${JSON.stringify(name)} is not one.`);
  }
  const {
    references: found,
    complete,
    skippedFiles,
  } = await searchReferences({
    workspace: ctx.workspace,
    rg,
    names: [name],
    ...(within ? { within } : {}),
    recentPaths: ctx.recentPaths ?? [],
    signal: ctx.signal,
  });
  const ranked = owner ? byOwner(found, owner) : found;
  const shown = ranked.slice(0, REFERENCES_SHOWN);
  const data: SymbolsData = {
    mode: 'references',
    name,
    references: shown,
    total: ranked.length,
    complete,
    skippedFiles,
  };
  const skippedNote =
    skippedFiles > 0
      ? [`[${plural(skippedFiles, 'file')} with the name not parsed (too large, minified or generated).]`]
      : [];
  const where = within ? ` in ${within}` : '';
  const ownerNote = owner ? ownerNoteFor(ranked, owner, name) : [];
  const fileCount = new Set(ranked.map((reference) => reference.file)).size;
  if (shown.length === 0) {
    return {
      output: [
        `No references to ${owner ? `${owner}.${name}` : name}${where} in code (comments and strings do not count; definitions are not listed). ` +
          'Try grep for text matches.',
        ...skippedNote,
      ].join('\n'),
      data,
      summary: 'no references',
    };
  }
  const lines = [formatReferences(shown), ...ownerNote];
  if (!complete || ranked.length > shown.length) {
    const of = `${ranked.length}${complete ? '' : '+'}`;
    lines.push(
      `[${shown.length} of ${of} references shown, in ${plural(fileCount, 'file')}: nearest the files you worked on first. ` +
        'Narrow with file.]',
    );
  }
  return {
    output: [...lines, ...skippedNote].join('\n'),
    data,
    summary: `${plural(ranked.length, 'reference')} in ${plural(fileCount, 'file')}`,
    moreHint: 'symbols with file to narrow the search',
  };
}

/** Uses confirmed on the owner first, then name-only ones, each group in its ranked order; others go. */
function byOwner(references: readonly FileReference[], owner: string): FileReference[] {
  const matched = references.flatMap((reference) => {
    const ownerMatch = matchOwner(reference, owner);
    return ownerMatch ? [{ ...reference, ownerMatch }] : [];
  });
  return [...matched.filter((r) => r.ownerMatch === 'owner'), ...matched.filter((r) => r.ownerMatch === 'name')];
}

function ownerNoteFor(ranked: readonly FileReference[], owner: string, name: string): string[] {
  const nameOnly = ranked.filter((reference) => reference.ownerMatch === 'name').length;
  if (nameOnly === 0) return [];
  return [
    `[${plural(ranked.length - nameOnly, 'use')} confirmed on ${owner}, listed first; ${plural(nameOnly, 'use')} marked ` +
      `"name only" are .${name} on an object whose type is not known: check them. Uses of a bare ${name} outside ${owner} are left out.]`,
  ];
}

export function isIdentifier(name: string): boolean {
  return /^[\p{L}\p{N}_$]+$/u.test(name);
}

export interface ReferenceSearch {
  workspace: Workspace;
  rg: string | undefined;
  /** Identifiers (see isIdentifier). */
  names: readonly string[];
  /** Only under this file or directory, relative to the root. */
  within?: string;
  /** What the search is about: references near these paths are parsed and listed first. */
  recentPaths: readonly string[];
  /** The symbol index, to name the definition each reference sits in. */
  indexFile?: string;
  signal: AbortSignal;
}

export interface ReferenceSearchResult {
  /** Every reference found, nearest the recent paths first, then in tree order. */
  references: FileReference[];
  /** False when the text search or the parse limit cut the search short. */
  complete: boolean;
  /** Candidate files left unparsed (too large, minified, generated). */
  skippedFiles: number;
}

/** Where any of `names` is used in code: a text search for candidate lines, then tree-sitter in a worker. */
export async function searchReferences(search: ReferenceSearch): Promise<ReferenceSearchResult> {
  const { workspace, rg, names, signal } = search;
  if (!rg && !workspace.isGitRepo) {
    throw new ToolError(
      `symbols cannot search for references: ripgrep (rg) is not installed and this is not a git repository. ${INSTALL_RIPGREP_HINT}`,
    );
  }
  const collector = new GrepCollector({
    context: 0,
    maxLineChars: 1,
    storeLimit: REFERENCE_LINES_LIMIT,
    accept: (file) => languageOf(file) !== undefined,
  });
  const alternatives = names.map((name) => name.replace(/\$/g, '\\$')).join('|');
  const either = names.length > 1 ? `(?:${alternatives})` : alternatives;
  const target = search.within ?? '.';
  const isFile = (await stat(path.join(workspace.root, target)).catch(() => undefined))?.isFile() ?? false;
  // The text search runs in the directory held open, so a link swapped in meanwhile is not followed.
  const at = await openAnchoredCwd(workspace.root, target, { isFile, what: 'searched' });
  const grep: GrepSearch = {
    workspace,
    target,
    at,
    // ripgrep knows \b; git grep's dialect may not, and tree-sitter checks whole names anyway.
    pattern: rg ? `\\b${either}\\b` : alternatives,
    caseInsensitive: false,
    context: 0,
    nameGlob: SOURCE_GLOB,
    signal,
    collector,
  };
  let outcome;
  try {
    outcome = rg ? await ripgrepSearch(rg, grep) : await gitGrepSearch(grep);
  } finally {
    await at.close();
  }
  if (!outcome.ok) throw new ToolError(`The search for ${names.join(', ')} failed: ${outcome.message}`);

  const rows = new Map<string, number[]>();
  for (const match of collector.matches()) {
    const list = rows.get(match.file) ?? [];
    list.push(match.line - 1);
    rows.set(match.file, list);
  }
  const files = rankByMatchAndPlace(
    [...rows.keys()].map((file) => ({ file, line: 0 })),
    search.recentPaths,
  ).slice(0, REFERENCE_FILES_LIMIT);
  const found = await askSymbolWorker(
    {
      op: 'references',
      root: workspace.root,
      names: [...names],
      candidates: files.map(({ file }) => ({ file, rows: rows.get(file)! })),
      ...(search.indexFile ? { indexFile: search.indexFile } : {}),
    },
    signal,
  );
  return {
    references: rankByMatchAndPlace(found.references, search.recentPaths),
    complete: !collector.full && files.length === rows.size,
    skippedFiles: found.skippedFiles,
  };
}
