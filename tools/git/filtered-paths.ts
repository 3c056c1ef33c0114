// Files whose content git would pass through a filter (git-lfs, git-crypt, …)
// before storing it. The agent's git never runs filters, so a commit of such a
// file would store its raw bytes instead of what the filter makes of them:
// the commit tool refuses it and says so, rather than commit something else.
import { runGit } from './run-git.js';

export interface FilteredPath {
  path: string;
  filter: string;
}

export async function filteredPaths(
  root: string,
  paths: readonly string[],
  signal: AbortSignal,
): Promise<FilteredPath[]> {
  if (paths.length === 0) return [];
  const defined = await definedFilters(root, signal);
  if (defined.size === 0) return [];
  // check-attr only reads .gitattributes files; "path\0filter\0value\0" per path.
  const { text } = await runGit(root, ['check-attr', '-z', 'filter', '--', ...paths], { signal, maxBytes: 64 << 20 });
  const fields = text.split('\0');
  const found: FilteredPath[] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const value = fields[i + 2]!;
    if (defined.has(value)) found.push({ path: fields[i]!, filter: value });
  }
  return found;
}

/** Drivers with a clean, smudge or process command in the config (an attribute naming no driver does nothing). */
async function definedFilters(root: string, signal: AbortSignal): Promise<Set<string>> {
  const listed = await runGit(root, ['config', '--name-only', '--get-regexp', '^filter\\.'], { signal }).catch(() => ({
    text: '',
  }));
  const names = new Set<string>();
  for (const line of listed.text.split('\n')) {
    const match = /^filter\.(.+)\.(clean|smudge|process)$/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}
