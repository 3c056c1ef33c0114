// Where changed functions and classes are defined and who calls them: the
// review gives the model this next to the diff. A provider finds it: the
// tree-sitter symbol index (symbol-code-context.ts: exact definitions and
// references), or the diff alone (diff-code-context.ts: git's
// enclosing-function headers, lines that define something, `git grep` for
// callers) where the index cannot speak.
import type { ChangedFile } from './changes.js';

export interface SymbolLocation {
  file: string;
  line: number;
  /** The last line of a definition, when its extent is known. */
  endLine?: number;
  /** The line's text (or, for a definition, its first lines). */
  text: string;
  /** For a use: the definition it sits in ("Owner.name"), when known. */
  within?: string;
}

export interface ChangedSymbol {
  name: string;
  /** Where it is defined in the reviewed version. */
  definition: SymbolLocation;
  /** Where it is used, outside its own definition. */
  callers: SymbolLocation[];
  /** More callers exist than are listed. */
  moreCallers: boolean;
}

export interface CodeContextLimits {
  symbols: number;
  callersPerSymbol: number;
}

export const DEFAULT_CODE_CONTEXT_LIMITS: CodeContextLimits = { symbols: 8, callersPerSymbol: 5 };

export interface CodeContextProvider {
  /** The functions and classes the files change, each with its definition and callers. */
  changedSymbols(files: readonly ChangedFile[], signal: AbortSignal): Promise<ChangedSymbol[]>;
}

/** How the symbols are written into the prompt, fitted to a character budget (whole entries only). */
export function renderCodeContext(symbols: readonly ChangedSymbol[], maxChars: number): string {
  const parts: string[] = [];
  let used = 0;
  for (const symbol of symbols) {
    const { definition } = symbol;
    const lines = [`- ${symbol.name}, defined at ${at(definition)}: ${definition.text.trim()}`];
    if (symbol.callers.length === 0) lines.push('  no callers found');
    for (const caller of symbol.callers) {
      lines.push(`  used ${caller.within ? `in ${caller.within} ` : ''}at ${at(caller)}: ${caller.text.trim()}`);
    }
    if (symbol.moreCallers) lines.push('  (more uses exist; grep for them)');
    const entry = lines.join('\n');
    if (used + entry.length + 1 > maxChars) break;
    parts.push(entry);
    used += entry.length + 1;
  }
  return parts.length === 0 ? '' : `# Changed definitions and where they are used\n${parts.join('\n')}`;
}

/** "src/a.ts:12", or "src/a.ts:12-30" for a definition whose extent is known. */
function at(location: SymbolLocation): string {
  const end = location.endLine !== undefined && location.endLine > location.line ? `-${location.endLine}` : '';
  return `${location.file}:${location.line}${end}`;
}
