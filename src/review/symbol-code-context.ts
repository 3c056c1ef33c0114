// The code-context provider backed by the tree-sitter symbol index: a
// changed function or class is the innermost definition whose declaration
// spans a changed line, and its callers are the references tree-sitter
// finds (never a comment or a string), each named by the definition it sits
// in. The index reads the working tree, so a file whose working copy is not
// the reviewed version (a staged review with unstaged edits on top) gets the
// diff-based provider instead, as does a file the index cannot read; and
// everything does when the index cannot be used at all.
import { findRipgrep as defaultFindRipgrep, type RipgrepLocator } from '../../tools/grep/ripgrep.js';
import { qualifiedName } from '../../tools/symbols/format.js';
import { indexFileFor } from '../../tools/symbols/index-store.js';
import { languageOf } from '../../tools/symbols/languages.js';
import { isIdentifier, searchReferences } from '../../tools/symbols/references.js';
import { askSymbolWorker, type EnclosingDefinition, type FileReference } from '../../tools/symbols/requests.js';
import { SourceLines } from '../../tools/symbols/tags.js';
import type { Workspace } from '../../tools/workspace/workspace.js';
import type { ChangedFile } from './changes.js';
import {
  DEFAULT_CODE_CONTEXT_LIMITS,
  type ChangedSymbol,
  type CodeContextLimits,
  type CodeContextProvider,
} from './code-context.js';
import { changedLines } from './locate.js';
import { notAsReviewed, readNewVersion, type ReviewTarget } from './target.js';

export interface SymbolCodeContextOptions {
  workspace: Workspace;
  target: ReviewTarget;
  /** Where the symbol index is kept (ToolServices.cacheDir); without one it is built for each call. */
  cacheDir: string | undefined;
  /** For the files the index cannot speak for, or all of them when it fails. */
  fallback: CodeContextProvider;
  limits?: CodeContextLimits;
  /** Told why the index was not used, when it was not. */
  note?: (message: string) => void;
  findRipgrep?: RipgrepLocator;
  /** How long one batch may spend bringing the index up to date (default INDEX_BUDGET_MS). */
  indexBudgetMs?: number;
}

/**
 * A first review in a large repository builds the index (about 600 files/s on
 * two cores); past this the batch takes its context from the diff. The build
 * saves its progress as it goes, so the next batch or review goes on from there.
 */
export const INDEX_BUDGET_MS = 20_000;

/** Changed definitions looked at for each one shown (new ones nothing uses are left out). */
const CANDIDATES_PER_SYMBOL = 4;
/** A reviewed file's line is read up to this when a caller in it must be checked. */
const VERIFY_MAX_BYTES = 4 * 1024 * 1024;

export function symbolCodeContext(options: SymbolCodeContextOptions): CodeContextProvider {
  // Once the index has failed, later batches of the same review do not try it again.
  let failed = false;
  return {
    async changedSymbols(files, signal) {
      if (!failed) {
        try {
          return await fromIndex(options, files, signal);
        } catch (error) {
          if (signal.aborted) throw error;
          if ((error as Error).name === 'TimeoutError') {
            options.note?.(
              'The symbol index is still being built (the next review goes on with it); changed definitions come from the diff.',
            );
          } else {
            failed = true;
            options.note?.(
              `The symbol index could not be used (${(error as Error).message}); changed definitions come from the diff.`,
            );
          }
        }
      }
      return options.fallback.changedSymbols(files, signal);
    },
  };
}

async function fromIndex(
  options: SymbolCodeContextOptions,
  files: readonly ChangedFile[],
  signal: AbortSignal,
): Promise<ChangedSymbol[]> {
  const { workspace, target } = options;
  const limits = options.limits ?? DEFAULT_CODE_CONTEXT_LIMITS;
  const root = workspace.root;
  const differing = await notAsReviewed(root, target, signal);
  const asked = files.flatMap((file) => {
    const name = file.newPath;
    if (file.skip || !name || !languageOf(name) || differing.has(name)) return [];
    const lines = changedLines(file);
    return lines.length > 0 ? [{ file: name, lines }] : [];
  });
  if (asked.length === 0) return options.fallback.changedSymbols(files, signal);

  const rg = await (options.findRipgrep ?? defaultFindRipgrep)();
  const indexFile = options.cacheDir ? indexFileFor(options.cacheDir, root) : undefined;
  const budget = AbortSignal.timeout(options.indexBudgetMs ?? INDEX_BUDGET_MS);
  const around = await askSymbolWorker(
    { op: 'enclosing', root, isGitRepo: workspace.isGitRepo, rg, indexFile, files: asked },
    AbortSignal.any([signal, budget]),
  );
  const covered = new Set(around.files.filter((file) => !file.skipped).map((file) => file.file));
  const added = new Map(files.map((file) => [file.newPath, addedLines(file)]));
  const isNew = (definition: EnclosingDefinition) => {
    const lines = added.get(definition.file);
    for (let line = definition.startLine; line <= definition.endLine; line++) if (!lines?.has(line)) return false;
    return true;
  };
  // Definitions the change edits come before those it adds, which the diff shows whole.
  const changed = around.files
    .flatMap((file) => file.definitions)
    .filter((definition) => isIdentifier(definition.name))
    .slice(0, limits.symbols * CANDIDATES_PER_SYMBOL);
  const ordered = [...changed.filter((d) => !isNew(d)), ...changed.filter(isNew)];

  const symbols: ChangedSymbol[] = [];
  if (ordered.length > 0) {
    const uses = await searchReferences({
      workspace,
      rg,
      names: [...new Set(ordered.map((definition) => definition.name))],
      recentPaths: asked.map((entry) => entry.file),
      ...(indexFile ? { indexFile } : {}),
      signal,
    });
    const reviewedLine = reviewedLines(root, target, differing, signal);
    for (const definition of ordered) {
      if (symbols.length === limits.symbols) break;
      const callers = await callersOf(definition, uses.references, limits.callersPerSymbol, reviewedLine);
      // A new definition nothing uses says nothing the diff does not.
      if (callers.shown.length === 0 && isNew(definition)) continue;
      symbols.push({
        name: qualifiedName(definition),
        definition: {
          file: definition.file,
          line: definition.line,
          endLine: definition.endLine,
          text: definition.signature,
        },
        callers: callers.shown,
        moreCallers: callers.more || !uses.complete,
      });
    }
  }
  const rest = files.filter((file) => !file.newPath || !covered.has(file.newPath));
  if (rest.length === 0 || symbols.length >= limits.symbols) return symbols;
  const others = await options.fallback.changedSymbols(rest, signal);
  return [...symbols, ...others].slice(0, limits.symbols);
}

/**
 * Uses of the definition outside its own declaration, calls and other uses
 * before imports, each checked against the reviewed version where the
 * working copy differs from it.
 */
async function callersOf(
  definition: EnclosingDefinition,
  references: readonly FileReference[],
  limit: number,
  reviewedLine: (file: string, line: number) => Promise<string | undefined> | undefined,
): Promise<{ shown: ChangedSymbol['callers']; more: boolean }> {
  const uses = references.filter(
    (reference) =>
      reference.name === definition.name &&
      !(
        reference.file === definition.file &&
        reference.line >= definition.startLine &&
        reference.line <= definition.endLine
      ),
  );
  const ordered = [...uses.filter((use) => use.kind !== 'import'), ...uses.filter((use) => use.kind === 'import')];
  const shown: ChangedSymbol['callers'] = [];
  for (const use of ordered) {
    if (shown.length === limit) return { shown, more: true };
    const check = reviewedLine(use.file, use.line);
    if (check !== undefined && (await check) !== use.text) continue;
    shown.push({ file: use.file, line: use.line, text: use.text, ...(use.within ? { within: use.within } : {}) });
  }
  return { shown, more: false };
}

/**
 * A line of the reviewed version, as the symbol index shows lines, for files
 * whose working copy differs from it (undefined for the others: the working
 * copy is the reviewed version). Each file is read once.
 */
function reviewedLines(root: string, target: ReviewTarget, differing: ReadonlySet<string>, signal: AbortSignal) {
  const sources = new Map<string, Promise<SourceLines | undefined>>();
  return (file: string, line: number): Promise<string | undefined> | undefined => {
    if (!differing.has(file)) return undefined;
    let source = sources.get(file);
    if (!source) {
      source = readNewVersion(root, target, file, { signal, maxBytes: VERIFY_MAX_BYTES }).then(
        ({ text }) => new SourceLines(text),
        () => undefined,
      );
      sources.set(file, source);
    }
    return source.then((lines) => lines?.text(line - 1));
  };
}

/** The lines the change added, in the new version. */
function addedLines(file: ChangedFile): Set<number> {
  const lines = new Set<number>();
  for (const hunk of file.hunks) for (const line of hunk.lines) if (line.kind === 'add') lines.add(line.newLine!);
  return lines;
}
