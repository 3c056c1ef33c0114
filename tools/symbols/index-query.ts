// Finds definitions by name in the loaded index. A name matches exactly,
// else ignoring case, else as part of a longer name; "Owner.name" (or
// Owner::name) also asks that the definition sits in Owner.
import { decodeDefinition, type IndexFiles, type StoredDefinition } from './index-store.js';
import { escapeRegExp } from '../text/escape-reg-exp.js';

export type NameMatch = 'exact' | 'case' | 'partial';

export interface DefinitionHit extends StoredDefinition {
  file: string;
  match: NameMatch;
}

export interface DefinitionSearch {
  name: string;
  /** Only files under this path (a file or a directory, relative to the root). */
  within?: string;
}

export interface DefinitionSearchResult {
  /** Exact and case-insensitive matches when there are any, else partial ones (at most maxHits). */
  hits: DefinitionHit[];
  /** How many definitions matched in all, at the level of `hits`. */
  total: number;
  /** Other names that contain the one asked for, when `hits` are exact (a few, for the model to consider). */
  similar: string[];
  /** True when the owner in "Owner.name" matched nothing and the name was searched alone. */
  ownerIgnored: boolean;
}

const SIMILAR_NAMES = 8;

export function findDefinitions(files: IndexFiles, search: DefinitionSearch, maxHits = 2000): DefinitionSearchResult {
  const { owner, name } = splitQualified(search.name);
  if (owner !== undefined) {
    const qualified = scan(files, name, owner, search.within, maxHits);
    if (qualified.total > 0) return { ...qualified, ownerIgnored: false };
  }
  return { ...scan(files, name, undefined, search.within, maxHits), ownerIgnored: owner !== undefined };
}

/** "Foo.bar" or "Foo::bar" → owner Foo, name bar ("a.b.Foo.bar" → owner Foo). */
export function splitQualified(query: string): { owner?: string; name: string } {
  const match = /^(?:.*(?:\.|::))?([^.:]+)(?:\.|::)([^.:]+)$/.exec(query.trim());
  if (!match) return { name: query.trim() };
  return { owner: match[1]!, name: match[2]! };
}

function scan(
  files: IndexFiles,
  name: string,
  owner: string | undefined,
  within: string | undefined,
  maxHits: number,
): Omit<DefinitionSearchResult, 'ownerIgnored'> {
  const lower = name.toLowerCase();
  const ownerLower = owner?.toLowerCase();
  const present = new RegExp(escapeRegExp(name), 'i');
  const strong: DefinitionHit[] = [];
  const partial: DefinitionHit[] = [];
  let strongTotal = 0;
  let partialTotal = 0;
  const similar = new Set<string>();
  for (const [file, entry] of files) {
    if (!entry.block || (within && file !== within && !file.startsWith(`${within}/`)) || !present.test(entry.block)) {
      continue;
    }
    let at = 0;
    while (at < entry.block.length) {
      const end = entry.block.indexOf('\n', at);
      const row = entry.block.slice(at, end === -1 ? undefined : end);
      at = end === -1 ? entry.block.length : end + 1;
      const candidate = row.slice(0, row.indexOf('\t'));
      const candidateLower = candidate.toLowerCase();
      if (!candidateLower.includes(lower)) continue;
      const definition = decodeDefinition(row);
      if (ownerLower !== undefined && definition.container?.toLowerCase() !== ownerLower) continue;
      if (candidateLower === lower) {
        strongTotal++;
        if (strong.length < maxHits) strong.push({ file, ...definition, match: candidate === name ? 'exact' : 'case' });
      } else {
        partialTotal++;
        if (similar.size < SIMILAR_NAMES) similar.add(candidate);
        if (partial.length < maxHits) partial.push({ file, ...definition, match: 'partial' });
      }
    }
  }
  if (strongTotal > 0) return { hits: strong, total: strongTotal, similar: [...similar] };
  return { hits: partial, total: partialTotal, similar: [] };
}

/** Definitions that hold a whole file or namespace: a line inside one is not a change to it. */
const WHOLE_FILE_KINDS = new Set(['module', 'namespace', 'package']);

/**
 * The innermost definition whose declaration spans `line` (the fewest
 * lines; of equal ones the first, which holds the others), or undefined.
 */
export function innermostAt<T extends StoredDefinition>(definitions: readonly T[], line: number): T | undefined {
  let best: T | undefined;
  for (const definition of definitions) {
    if (WHOLE_FILE_KINDS.has(definition.kind) || line < definition.startLine || line > definition.endLine) continue;
    if (!best || definition.endLine - definition.startLine < best.endLine - best.startLine) best = definition;
  }
  return best;
}
