// The code-context provider that needs nothing but git: a changed function
// or class is one whose definition line was added, or one git names as the
// enclosing function in a hunk header; its callers are `git grep -w` hits in
// the reviewed version. Good enough for every language git knows; a symbol
// index does better (exact ranges, real references).
import type { DiffHunk } from '../../tools/git/parse-diff.js';
import { runGit } from '../../tools/git/run-git.js';
import { readAnchoredText } from '../../tools/workspace/anchored-read.js';
import type { ChangedFile } from './changes.js';
import {
  DEFAULT_CODE_CONTEXT_LIMITS,
  type ChangedSymbol,
  type CodeContextLimits,
  type CodeContextProvider,
  type SymbolLocation,
} from './code-context.js';
import { grepScope, type ReviewTarget } from './target.js';

/** How far above a change its enclosing definition is looked for. */
const ENCLOSING_SEARCH_LINES = 80;

/** Definitions in most languages: `function f`, `def f`, `class C`, `fn f`, `func (r T) f`, `const f = (…) =>`, `f(…) {`. */
const DEFINITION_PATTERNS = [
  /\b(?:function\*?|def|fn|func|class|interface|struct|enum|trait|module|impl)\s+([A-Za-z_$][\w$]*)/,
  /\bfunc\s*\([^)]*\)\s*([A-Za-z_]\w*)\s*\(/,
  /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]*)?=>|[A-Za-z_$][\w$]*\s*=>)/,
  /^\s*(?:(?:public|private|protected|static|async|override|readonly|export|default)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\([^)]*\)\s*(?::\s*[^{]+)?\{\s*$/,
];

const NOT_NAMES = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'return',
  'function',
  'constructor',
  'main',
  'new',
]);

export function definedName(line: string): string | undefined {
  for (const pattern of DEFINITION_PATTERNS) {
    const name = pattern.exec(line)?.[1];
    if (name && name.length >= 3 && !NOT_NAMES.has(name)) return name;
  }
  return undefined;
}

export function diffCodeContext(
  root: string,
  target: ReviewTarget,
  limits: CodeContextLimits = DEFAULT_CODE_CONTEXT_LIMITS,
): CodeContextProvider {
  return {
    async changedSymbols(files, signal) {
      const found = changedDefinitions(files).slice(0, limits.symbols);
      const symbols: ChangedSymbol[] = [];
      for (const definition of found) {
        const uses = await grepWord(root, target, definition.name, signal);
        const callers = uses.filter((use) => !(use.file === definition.file && use.line === definition.line));
        symbols.push({
          name: definition.name,
          definition,
          callers: callers.slice(0, limits.callersPerSymbol),
          moreCallers: callers.length > limits.callersPerSymbol,
        });
      }
      return symbols;
    },
  };
}

/** Each changed definition once: added definition lines first, then enclosing functions named by hunk headers. */
function changedDefinitions(files: readonly ChangedFile[]): Array<SymbolLocation & { name: string }> {
  const added: Array<SymbolLocation & { name: string }> = [];
  const enclosing: Array<SymbolLocation & { name: string }> = [];
  for (const file of files) {
    if (file.skip || !file.newLines) continue;
    for (const hunk of file.hunks) {
      for (const line of hunk.lines) {
        const name = line.kind === 'add' ? definedName(line.text) : undefined;
        if (name) added.push({ name, file: file.path, line: line.newLine!, text: line.text });
      }
      const inside = enclosingDefinition(file.newLines, hunk) ?? sectionDefinition(file.newLines, hunk);
      if (inside) enclosing.push({ ...inside, file: file.path });
    }
  }
  const seen = new Set<string>();
  return [...added, ...enclosing].filter((symbol) => !seen.has(symbol.name) && seen.add(symbol.name));
}

/** The nearest definition at or above the hunk's first change, within a screenful. */
function enclosingDefinition(
  lines: readonly string[],
  hunk: DiffHunk,
): (Omit<SymbolLocation, 'file'> & { name: string }) | undefined {
  // A removed line has no place in the new version: start from the context line just above it.
  let from = hunk.newStart;
  for (const line of hunk.lines) {
    if (line.kind !== 'context' && line.newLine !== undefined) {
      from = line.newLine;
      break;
    }
    if (line.kind !== 'context') break;
    if (line.newLine !== undefined) from = line.newLine;
  }
  for (let n = Math.min(from, lines.length); n >= 1 && n > from - ENCLOSING_SEARCH_LINES; n--) {
    const name = definedName(lines[n - 1]!);
    if (name) return { name, line: n, text: lines[n - 1]! };
  }
  return undefined;
}

/** The function git names in the hunk header (it looks further up than we do), found in the new version. */
function sectionDefinition(
  lines: readonly string[],
  hunk: DiffHunk,
): (Omit<SymbolLocation, 'file'> & { name: string }) | undefined {
  const name = hunk.section ? definedName(hunk.section) : undefined;
  if (!name) return undefined;
  const wanted = hunk.section.trim().slice(0, 40);
  for (let n = Math.min(hunk.newStart, lines.length); n >= 1; n--) {
    if (lines[n - 1]!.trim().startsWith(wanted)) return { name, line: n, text: lines[n - 1]! };
  }
  return undefined;
}

async function grepWord(
  root: string,
  target: ReviewTarget,
  name: string,
  signal: AbortSignal,
): Promise<SymbolLocation[]> {
  const scope = grepScope(target);
  const args = ['grep', '-n', '-w', '-F', '-I', ...scope.before, '-e', name, ...(scope.tree ? [scope.tree] : []), '--'];
  let text: string;
  try {
    text = (await runGit(root, args, { signal, maxBytes: 64 * 1024 })).text;
  } catch (error) {
    // git grep exits 1 when nothing matches.
    if (signal.aborted) throw error;
    return [];
  }
  const prefix = scope.tree ? `${scope.tree}:` : '';
  const uses: SymbolLocation[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
    const match = /^(.+?):(\d+):(.*)$/.exec(line);
    if (match) uses.push({ file: match[1]!, line: Number(match[2]), text: match[3]!.slice(0, 200) });
  }
  return target.kind === 'unstaged' ? inRepository(root, uses) : uses;
}

/** Files whose callers are checked at most this big (a caller's file is source code). */
const CHECK_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The uses whose line is in the repository's own file, read again without following links: git grep reads
 * the working tree by path, and a directory swapped for a link meanwhile would show files from outside.
 */
async function inRepository(root: string, uses: readonly SymbolLocation[]): Promise<SymbolLocation[]> {
  const files = new Map<string, Promise<string[] | undefined>>();
  const kept: SymbolLocation[] = [];
  for (const use of uses) {
    let lines = files.get(use.file);
    if (!lines) {
      lines = readAnchoredText(root, use.file, CHECK_MAX_BYTES).then((text) => text?.split('\n'));
      files.set(use.file, lines);
    }
    if ((await lines)?.[use.line - 1]?.slice(0, 200) === use.text) kept.push(use);
  }
  return kept;
}
