// Reads definitions and references out of source text with tree-sitter and
// the tags queries in tools/queries/. One TagReader per thread: it loads
// web-tree-sitter and each grammar once, on first use.
//
// Query conventions (see the .scm files): a definition pattern captures the
// whole declaration as @definition.<kind> and its name as @name, and may
// capture @container when the owner is written outside the body (a Go
// receiver, C++'s Foo::bar); a reference pattern captures
// @reference.<kind> and @name. Reference patterns come after the line
// "; --- References ---": indexing compiles only what is above it
// (compiling a query costs up to half a second for the larger grammars).
import { readFileSync } from 'node:fs';
import type { Language, Node, Parser, Query, QueryMatch } from 'web-tree-sitter';
import { grammarPath, LANGUAGES, queryPath, type LanguageId } from './languages.js';
import { enclosingTypeOf, receiverOf } from './member-access.js';

const REFERENCES_SECTION = '; --- References ---';

export interface Definition {
  name: string;
  kind: string;
  /** 1-based line of the name. */
  line: number;
  /** The 1-based lines the whole declaration spans (a function's from its first line to its closing brace). */
  startLine: number;
  endLine: number;
  /** The name of the definition this one sits in (a method's class), when there is one. */
  container?: string;
  /** The line the name is on, trimmed and cut. */
  signature: string;
  /** How many definitions this one sits in (for an outline; not stored in the index). */
  depth?: number;
}

export interface Reference {
  /** The name used. */
  name: string;
  /** 1-based. */
  line: number;
  /** call, type, import, use… (the strongest found on the line). */
  kind: string;
  /** The line, trimmed and cut. */
  text: string;
  /** The object it is a member of, as written (`cart` in cart.total), for a member access. */
  receiver?: string;
  /** The class, struct or impl whose body it is in. */
  enclosingType?: string;
}

/** Longer signature and reference lines are cut to this. */
export const SIGNATURE_CHARS = 160;
/** A file whose parse takes longer than this is given up on (pathological input). */
const PARSE_BUDGET_MS = 3000;

/** Weaker kinds: when two patterns capture the same name, the other kind wins. */
const GENERIC_KINDS = new Set(['variable', 'constant', 'field', 'property', 'prototype', 'use']);
const CONSTRUCTORS = new Set(['constructor', '__init__']);
const MEMBER_KINDS = new Set(['field', 'property']);
/** Variables declared inside these are locals, not definitions worth listing. */
const FUNCTION_KINDS = new Set(['function', 'method']);

interface LoadedLanguage {
  language: Language;
  /** Definition patterns only: what the index runs. */
  definitions: Query;
  /** Every pattern (definitions tell a name's definition from its uses), compiled when first needed. */
  all(): Query;
}

/** A match, read out of the tree once (every node property read crosses into WebAssembly). */
interface Capture {
  kind: string;
  name: string;
  /** Where the name starts (characters), and its 0-based row. */
  nameStart: number;
  row: number;
  /** The definition's span, for definitions: characters, and 1-based lines. */
  definition?: { start: number; end: number; startLine: number; endLine: number };
  container?: string;
  pattern: number;
  /** For references only (see member-access.ts). */
  receiver?: string;
  enclosingType?: string;
}

export class TagReader {
  private readonly languages = new Map<LanguageId, Promise<LoadedLanguage>>();

  private constructor(
    private readonly treeSitter: typeof import('web-tree-sitter'),
    private readonly parser: Parser,
  ) {}

  static async create(): Promise<TagReader> {
    const treeSitter = await import('web-tree-sitter');
    await treeSitter.Parser.init();
    return new TagReader(treeSitter, new treeSitter.Parser());
  }

  /** The definitions in `source`, in file order, containers resolved; undefined when parsing gave up. */
  async definitions(id: LanguageId, source: string): Promise<Definition[] | undefined> {
    const loaded = await this.load(id);
    const tree = this.parse(loaded, source);
    if (!tree) return undefined;
    try {
      const captures = dedupe(collect(loaded.definitions.matches(tree.rootNode)));
      return toDefinitions(captures, new SourceLines(source));
    } finally {
      tree.delete();
    }
  }

  /**
   * Where `names` (one, or several) are used in `source`, found from reference
   * captures and never at their own definitions; `rows` (0-based) narrows the
   * search to lines a text search found. Undefined when parsing gave up.
   */
  async references(
    id: LanguageId,
    source: string,
    names: string | ReadonlySet<string>,
    rows?: number[],
  ): Promise<Reference[] | undefined> {
    const wanted = typeof names === 'string' ? new Set([names]) : names;
    const loaded = await this.load(id);
    const all = loaded.all();
    const tree = this.parse(loaded, source);
    if (!tree) return undefined;
    try {
      const ranges = rows
        ? [...new Set(rows)].map((row) => ({
            startPosition: { row, column: 0 },
            endPosition: { row: row + 1, column: 0 },
          }))
        : [{}];
      const captures: Capture[] = [];
      for (const range of ranges) {
        for (const capture of collect(all.matches(tree.rootNode, range), wanted)) {
          if (wanted.has(capture.name)) captures.push(capture);
        }
      }
      const lines = new SourceLines(source);
      // One reference per name and line: the strongest kind found there.
      const byLine = new Map<string, Reference>();
      for (const capture of dedupe(captures)) {
        if (capture.definition) continue;
        const { row, name } = capture;
        const key = `${row}\t${name}`;
        const known = byLine.get(key);
        // Between equal kinds a member access (`c.total`) beats a bare name: an owner can be checked on it.
        const moreSpecific =
          known?.kind === capture.kind && known.receiver === undefined && capture.receiver !== undefined;
        if (known && !moreSpecific && (GENERIC_KINDS.has(capture.kind) || !GENERIC_KINDS.has(known.kind))) continue;
        byLine.set(key, {
          name,
          line: row + 1,
          kind: capture.kind,
          text: lines.text(row),
          ...(capture.receiver !== undefined ? { receiver: capture.receiver } : {}),
          ...(capture.enclosingType !== undefined ? { enclosingType: capture.enclosingType } : {}),
        });
      }
      return [...byLine.values()].sort((a, b) => a.line - b.line || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } finally {
      tree.delete();
    }
  }

  private parse(loaded: LoadedLanguage, source: string) {
    this.parser.setLanguage(loaded.language);
    const deadline = performance.now() + PARSE_BUDGET_MS;
    const tree = this.parser.parse(source, null, { progressCallback: () => performance.now() > deadline });
    // A parse that was cancelled would otherwise resume on the next call.
    if (!tree) this.parser.reset();
    return tree;
  }

  private load(id: LanguageId): Promise<LoadedLanguage> {
    let loaded = this.languages.get(id);
    if (!loaded) {
      loaded = this.loadLanguage(id);
      this.languages.set(id, loaded);
    }
    return loaded;
  }

  private async loadLanguage(id: LanguageId): Promise<LoadedLanguage> {
    const spec = LANGUAGES[id];
    const language = await this.treeSitter.Language.load(grammarPath(spec));
    const sections = spec.queries.map((name) => {
      const text = readFileSync(queryPath(name), 'utf8');
      const at = text.indexOf(REFERENCES_SECTION);
      return at === -1
        ? { definitions: text, references: '' }
        : { definitions: text.slice(0, at), references: text.slice(at) };
    });
    const definitionsSource = sections.map((section) => section.definitions).join('\n');
    const definitions = new this.treeSitter.Query(language, definitionsSource);
    if (definitions.captureNames.some((name) => name.startsWith('reference.'))) {
      throw new Error(`a reference pattern of ${id} is above "${REFERENCES_SECTION}" in ${spec.queries.join(', ')}`);
    }
    let all: Query | undefined;
    const allSource = `${definitionsSource}\n${sections.map((section) => section.references).join('\n')}`;
    return { language, definitions, all: () => (all ??= new this.treeSitter.Query(language, allSource)) };
  }
}

/** The named parts of each match; for names in `members`, also what they are a member of. */
function collect(matches: QueryMatch[], members?: ReadonlySet<string>): Capture[] {
  const out: Capture[] = [];
  for (const match of matches) {
    let nameNode: Node | undefined;
    let defNode: Node | undefined;
    let kind: string | undefined;
    let container: string | undefined;
    for (const { name, node } of match.captures) {
      if (name === 'name') nameNode = node;
      else if (name === 'container') container = node.text;
      else if (name.startsWith('definition.')) {
        defNode = node;
        kind = name.slice('definition.'.length);
      } else if (name.startsWith('reference.')) kind = name.slice('reference.'.length);
    }
    if (!nameNode || !kind) continue;
    const member = !defNode && members?.has(nameNode.text);
    const receiver = member ? receiverOf(nameNode) : undefined;
    const enclosingType = member ? enclosingTypeOf(nameNode) : undefined;
    out.push({
      kind,
      name: nameNode.text,
      nameStart: nameNode.startIndex,
      row: nameNode.startPosition.row,
      pattern: match.patternIndex,
      ...(defNode ? { definition: spanOf(defNode) } : {}),
      ...(container !== undefined ? { container } : {}),
      ...(receiver !== undefined ? { receiver } : {}),
      ...(enclosingType !== undefined ? { enclosingType } : {}),
    });
  }
  return out;
}

function spanOf(node: Node): NonNullable<Capture['definition']> {
  // Python's decorators sit outside the function or class they belong to.
  const parent = node.parent;
  const start = parent?.type === 'decorated_definition' ? parent.startPosition : node.startPosition;
  const end = node.endPosition;
  // A node that ends at the start of a line (after its newline) ends on the line before.
  const endRow = end.column === 0 && end.row > start.row ? end.row - 1 : end.row;
  return { start: node.startIndex, end: node.endIndex, startLine: start.row + 1, endLine: endRow + 1 };
}

/**
 * One capture per name: a definition beats a reference, a specific kind
 * beats a generic one (a `const f = () => …` is a function, not a
 * variable), and otherwise the earlier pattern wins.
 */
function dedupe(captures: Capture[]): Capture[] {
  const best = new Map<number, Capture>();
  for (const capture of captures) {
    const key = capture.nameStart;
    const known = best.get(key);
    if (!known || rank(capture) < rank(known)) best.set(key, capture);
  }
  return [...best.values()];
}

function rank(capture: Capture): number {
  return (capture.definition ? 0 : 2_000_000) + (GENERIC_KINDS.has(capture.kind) ? 1_000_000 : 0) + capture.pattern;
}

/**
 * Definitions in file order, each with the name of the nearest definition
 * around it; variables inside functions are locals and left out.
 */
function toDefinitions(captures: Capture[], lines: SourceLines): Definition[] {
  const ordered = captures
    .filter((capture): capture is Capture & Required<Pick<Capture, 'definition'>> => capture.definition !== undefined)
    .sort((a, b) => a.definition.start - b.definition.start || b.definition.end - a.definition.end);
  const open: Array<{ start: number; end: number; name: string; kind: string }> = [];
  const out: Definition[] = [];
  for (const capture of ordered) {
    const { kind, row } = capture;
    const { start, end, startLine, endLine } = capture.definition;
    while (open.length > 0 && open.at(-1)!.end <= start) open.pop();
    // Names declared together (`a, b = …`) share one declaration; neither holds the other.
    const enclosing = open.filter((entry) => entry.start !== start || entry.end !== end);
    const around = enclosing.at(-1);
    const name = cleanName(capture.name);
    open.push({ start, end, name, kind });
    if (name === '' || ((kind === 'variable' || kind === 'constant') && around && FUNCTION_KINDS.has(around.kind))) {
      continue;
    }
    // Fields a constructor declares (this.x = …, constructor(private x)) belong to its class.
    const owner = around && CONSTRUCTORS.has(around.name) && MEMBER_KINDS.has(kind) ? enclosing.at(-2) : around;
    const container = capture.container !== undefined ? cleanName(capture.container) : owner?.name;
    out.push({
      name,
      kind,
      line: row + 1,
      startLine,
      endLine,
      ...(container ? { container } : {}),
      signature: lines.text(row),
      depth: enclosing.length,
    });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** Names go into a tab-separated index: one line, no tabs, not absurdly long. */
function cleanName(text: string): string {
  const name = text.replace(/\s+/g, ' ').trim();
  return name.length > 200 ? '' : name;
}

/** A source's lines by 0-based row (trimmed and cut, as signatures are), found on demand. */
export class SourceLines {
  private starts: number[] | undefined;

  constructor(private readonly source: string) {}

  text(row: number): string {
    this.starts ??= lineStarts(this.source);
    const start = this.starts[row] ?? this.source.length;
    const next = this.starts[row + 1];
    const line = this.source.slice(start, next === undefined ? undefined : next - 1);
    const flat = line.replace(/\t/g, ' ').trim();
    return flat.length > SIGNATURE_CHARS ? `${flat.slice(0, SIGNATURE_CHARS)}…` : flat;
  }
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let at = source.indexOf('\n'); at !== -1; at = source.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}
