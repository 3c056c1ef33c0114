// Tool names as gpt-oss writes them, cleaned of harmony debris. Servers and
// the model leave parts of the header in the name: a special token and what
// follows it (`read_file<|channel|>commentary`), the constraint after a space
// (`read_file json`) or glued to it (`read_filejson`), the `to=` of the
// recipient. A `functions.` prefix names a developer function and is dropped;
// any other namespace (`repo_browser.open_file`) is kept, as the tool is
// declared under it.

/** Constraint words harmony writes after the recipient (`<|constrain|>json`, `code`). */
const CONSTRAINTS = ['json', 'code'];

/**
 * The clean tool name in `raw`. `known` (bare function names and `namespace.tool`
 * names) settles what cannot be read alone: a constraint glued to the name is cut
 * only when the name without it is a known tool and the name with it is not.
 */
export function cleanToolName(raw: string, known?: ReadonlySet<string>): string {
  let name = raw;
  const token = name.indexOf('<|');
  if (token !== -1) name = name.slice(0, token);
  name = name.trim().split(/\s+/)[0] ?? '';
  name = name.replace(/^to=/, '').replace(/^functions\./, '');
  // Punctuation the header never has in a name, left by a cut-off token or a quote.
  name = name.replace(/^["'`]+|["'`:,]+$/g, '');
  if (known && !known.has(name)) {
    for (const word of CONSTRAINTS) {
      const cut = name.slice(0, -word.length);
      if (name.endsWith(word) && known.has(cut)) return cut;
    }
  }
  return name;
}

/** The names calls arrive with: bare developer functions and `namespace.tool` system tools. */
export function knownToolNames(
  tools: ReadonlyArray<{ name: string }>,
  systemTools: ReadonlyArray<{ name: string; tools: ReadonlyArray<{ name: string }> }> = [],
): Set<string> {
  const names = new Set(tools.map((tool) => tool.name));
  for (const namespace of systemTools) {
    for (const tool of namespace.tools) names.add(`${namespace.name}.${tool.name}`);
  }
  return names;
}
