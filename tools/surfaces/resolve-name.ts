// Turns the tool name a model wrote into the name of a tool it was given. gpt-oss
// writes names with harmony debris (`x<|channel|>commentary`, `shelljson`,
// `container.exec json`), with a `functions.` prefix it was not asked for, and
// the names of tools it knows from training but was not given (`read_file` when
// it has `repo_browser.open_file`).

/** Names the model reaches for without a definition, and the tool each means on the native surface. */
export const NATIVE_ALIASES: Readonly<Record<string, string>> = {
  open_file: 'repo_browser.open_file',
  read_file: 'repo_browser.open_file',
  open: 'repo_browser.open_file',
  cat: 'repo_browser.open_file',
  print_tree: 'repo_browser.print_tree',
  tree: 'repo_browser.print_tree',
  list_dir: 'repo_browser.list_dir',
  list_files: 'repo_browser.list_dir',
  list_directory: 'repo_browser.list_dir',
  ls: 'repo_browser.list_dir',
  search: 'repo_browser.search',
  find: 'repo_browser.search',
  grep: 'repo_browser.search',
  rg: 'repo_browser.search',
  ripgrep: 'repo_browser.search',
  exec: 'container.exec',
  shell: 'container.exec',
  bash: 'container.exec',
  run: 'container.exec',
  apply_patch: 'repo_browser.apply_patch',
  applypatch: 'repo_browser.apply_patch',
};

/**
 * The tool `written` means among `known`, or undefined. `aliases` maps bare names
 * (the part after the last dot) to tool names; a name that is exactly a known
 * tool always wins over an alias.
 */
export function resolveToolName(
  written: string,
  known: ReadonlySet<string>,
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  for (const candidate of candidates(written)) {
    if (known.has(candidate)) return candidate;
  }
  // An alias applies to a bare name or one in a namespace we declare (`repo_browser.read_file`), never to another
  // namespace's tool (`browser.search` is a web search, not ours).
  const namespaces = new Set([...known].flatMap((name) => (name.includes('.') ? [name.split('.', 1)[0]!] : [])));
  for (const candidate of candidates(written)) {
    const dot = candidate.lastIndexOf('.');
    if (dot !== -1 && !namespaces.has(candidate.slice(0, dot))) continue;
    const bare = candidate.slice(dot + 1);
    const target = Object.hasOwn(aliases, bare) ? aliases[bare] : undefined;
    if (target !== undefined && known.has(target)) return target;
  }
  return undefined;
}

/** The name cleaned of debris, most literal first; each with and without a `functions.` prefix. */
function candidates(written: string): string[] {
  // A special token and all after it, the header's `to=`, a trailing word (`json`, `<|constrain|>json`).
  let name = written.replace(/<\|[^|]*\|>.*$/s, '').trim();
  name = name.replace(/^to=/, '').split(/\s+/, 1)[0] ?? '';
  const out = new Set<string>();
  for (const base of [name, name.replace(/json$/i, '')]) {
    if (base === '') continue;
    const bare = base.startsWith('functions.') ? base.slice('functions.'.length) : base;
    // `repo_browser__open_file` is how a functions-only backend declared it (see flat-system-tools.ts).
    for (const variant of [base, bare, bare.replace('__', '.')]) out.add(variant);
  }
  return [...out];
}
