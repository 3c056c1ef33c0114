// Definition recall of the symbol index against universal-ctags (`ctags -R`,
// Debian's universal-ctags) on the same real source: of the definitions
// ctags finds, how many the index has at the same file, name and line.
// usage: npx tsx test/bench/symbols-recall.ts [--misses N] [DIR]
//   DIR defaults to the multi-language corpus of test/bench/symbol-corpus.ts.
//
// Left out of the comparison, on both sides: files the index skips on
// purpose (generated, minified, over 1 MB). Of ctags' tags, those that are
// no definitions: imports (Python and Go import names, C includes,
// TypeScript's "alias" tags on import lines), nameless things (anonymous
// structs, functions) and locals: variables and constants whose scope is a
// function or method (the index keeps module- and class-level ones).
// ctags' JavaScript and TypeScript parsers do not treat arrow functions as
// scopes, so the variables, properties and fields they find inside any
// function body are told apart here by parsing the file with tree-sitter.
// And tags that point at nothing: a name that is not on its line, or a
// variable named after a reserved word or a primitive type (ctags'
// TypeScript and Rust parsers report some of both).
// ctags reads no .tsx; the index's .tsx count is printed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findRipgrep } from '../../tools/grep/ripgrep.js';
import { refreshIndex } from '../../tools/symbols/index-refresh.js';
import { decodeDefinitions } from '../../tools/symbols/index-store.js';
import { grammarPath, LANGUAGES, languageOf, type LanguageId } from '../../tools/symbols/languages.js';
import { symbolCorpus } from './symbol-corpus.js';

const { values, positionals } = parseArgs({
  options: { misses: { type: 'string', default: '0' } },
  allowPositionals: true,
});
const showMisses = Number(values.misses);

/** ctags kinds that are not definitions of a name in that file. */
const IMPORT_KINDS: Record<string, Set<string>> = {
  Python: new Set(['namespace', 'module', 'unknown']),
  Go: new Set(['packageName', 'unknown']),
  C: new Set(['header']),
  'C++': new Set(['header', 'using']),
};
const LOCAL_SCOPES = /^scope:(?:function|method|member|getter|setter|generator):/;

interface Tag {
  name: string;
  file: string;
  line: number;
  kind: string;
  language: string;
  scope: string;
}

/** Words ctags' TypeScript and Rust parsers sometimes report as the names of variables and constants. */
const ECMASCRIPT_WORDS =
  'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
  'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
  'as implements interface let package private protected public static yield any boolean declare infer is keyof ' +
  'module namespace never readonly number object string symbol type undefined unique unknown from of satisfies ' +
  'abstract async await';
const RESERVED: Record<string, Set<string>> = {
  JavaScript: new Set(ECMASCRIPT_WORDS.split(' ')),
  TypeScript: new Set(ECMASCRIPT_WORDS.split(' ')),
  Rust: new Set(
    (
      'as break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ' +
      'ref return self Self static struct super trait true type unsafe use where while async await bool char str ' +
      'i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64'
    ).split(' '),
  ),
};
const STORAGE_KINDS = new Set(['variable', 'constant', 'property', 'field']);
const FUNCTION_NODES = new Set([
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function',
  'generator_function_declaration',
]);

/** Why a ctags tag is no definition the index is meant to have (see the note at the top), or undefined. */
function leftOut(tag: Tag, source: SourceFiles): string | undefined {
  if (IMPORT_KINDS[tag.language]?.has(tag.kind)) return 'import';
  if (tag.name.startsWith('__anon') || tag.name.startsWith('AnonymousFunction')) return 'anonymous';
  if ((tag.kind === 'variable' || tag.kind === 'constant') && LOCAL_SCOPES.test(tag.scope)) return 'local';
  const text = source.line(tag.file, tag.line);
  // A tag whose name is not on its line, or is a reserved word, points at nothing.
  if (!new RegExp(`(?<![\\w$])${escape(tag.name)}(?![\\w$])`).test(text)) return 'not on its line';
  if (STORAGE_KINDS.has(tag.kind) && RESERVED[tag.language]?.has(tag.name)) return 'reserved word';
  // TypeScript "alias" tags also name imported types; only `type Name =` declares one.
  if (tag.kind === 'alias' && !new RegExp(`\\btype\\s+${escape(tag.name)}\\s*[<=]`).test(text)) return 'import';
  // Its parser also reports array elements, export lists and `satisfies T` as constants: a constant or
  // variable counts when its line declares it (const, let or var, then the name).
  if (
    (tag.kind === 'constant' || tag.kind === 'variable') &&
    (tag.language === 'JavaScript' || tag.language === 'TypeScript') &&
    !new RegExp(`\\b(?:const|let|var)\\s+${escape(tag.name)}(?![\\w$])`).test(text)
  ) {
    return 'not declared on its line';
  }
  const script = tag.language === 'JavaScript' || tag.language === 'TypeScript';
  if (script && STORAGE_KINDS.has(tag.kind) && source.insideFunction(tag.file, tag.line, tag.name)) return 'local';
  return undefined;
}

/** ctags drops the # of JavaScript's private names; the index keeps it. */
function comparableName(name: string): string {
  return name.replace(/^#/, '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Source lines, and where a name sits in the syntax tree, for the JavaScript and TypeScript checks above. */
class SourceFiles {
  private readonly lines = new Map<string, string[]>();
  private readonly trees = new Map<string, import('web-tree-sitter').Tree>();

  private constructor(
    private readonly root: string,
    private readonly parsers: Map<LanguageId, import('web-tree-sitter').Parser>,
  ) {}

  static async create(root: string): Promise<SourceFiles> {
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init();
    const parsers = new Map<LanguageId, import('web-tree-sitter').Parser>();
    for (const id of ['javascript', 'typescript'] as const) {
      const parser = new Parser();
      parser.setLanguage(await Language.load(grammarPath(LANGUAGES[id])));
      parsers.set(id, parser);
    }
    return new SourceFiles(root, parsers);
  }

  line(file: string, line: number): string {
    let lines = this.lines.get(file);
    if (!lines) {
      lines = readFileSync(path.join(this.root, file), 'utf8').split('\n');
      this.lines.set(file, lines);
    }
    return lines[line - 1] ?? '';
  }

  /** Whether `name` on `line` sits inside a function body. */
  insideFunction(file: string, line: number, name: string): boolean {
    const column = this.line(file, line).search(new RegExp(`(?<![\\w$])${escape(name)}(?![\\w$])`));
    if (column === -1) return false;
    let tree = this.trees.get(file);
    if (!tree) {
      const language = languageOf(file);
      const parser = this.parsers.get(language === 'javascript' ? 'javascript' : 'typescript')!;
      tree = parser.parse(readFileSync(path.join(this.root, file), 'utf8'))!;
      this.trees.set(file, tree);
    }
    const point = { row: line - 1, column };
    for (let node = tree.rootNode.descendantForPosition(point); node; node = node.parent) {
      if (FUNCTION_NODES.has(node.type)) return true;
    }
    return false;
  }
}

let root = positionals[0];
if (!root) {
  const corpus = symbolCorpus((line) => console.log(line));
  root = corpus.root;
  for (const part of corpus.parts) console.log(`  ${part.name.padEnd(11)} ${part.from}`);
  for (const missing of corpus.missing) console.log(`  (missing: ${missing})`);
}
root = path.resolve(root);

const ctagsVersion = execFileSync('ctags', ['--version'], { encoding: 'utf8' }).split('\n')[0];
console.log(`\n${ctagsVersion}\nrepository: ${root}\n`);

// Ours: the real index, built from scratch.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'gptoss-recall-'));
const { files, stats } = await refreshIndex({
  root,
  isGitRepo: existsSync(path.join(root, '.git')),
  rg: await findRipgrep(),
  indexFile: path.join(scratch, 'index'),
});
rmSync(scratch, { recursive: true, force: true });
const ours = new Map<string, Set<string>>();
const ourCounts = new Map<LanguageId, number>();
for (const [file, entry] of files) {
  if (entry.skipped) continue;
  const keys = new Set<string>();
  for (const definition of decodeDefinitions(entry.block))
    keys.add(`${comparableName(definition.name)}\t${definition.line}`);
  ours.set(file, keys);
  const language = languageOf(file)!;
  ourCounts.set(language, (ourCounts.get(language) ?? 0) + keys.size);
}

// ctags on the same tree.
const tags = execFileSync(
  'ctags',
  [
    '-R',
    '--languages=C,C++,Go,Java,JavaScript,Python,Rust,TypeScript',
    '--fields=+nKlZ',
    '--excmd=number',
    '-f',
    '-',
    '.',
  ],
  { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] },
);

interface Tally {
  ctags: number;
  found: number;
  misses: string[];
}
const tallies = new Map<LanguageId, Tally>();
const source = await SourceFiles.create(root);
/** ctags tags left out of the comparison, by language and reason. */
const excluded = new Map<LanguageId, Map<string, number>>();
for (const row of tags.split('\n')) {
  if (row === '' || row.startsWith('!_')) continue;
  const [name = '', rawFile = '', , kind = '', ...fields] = row.split('\t');
  const field = (key: string) => fields.find((value) => value.startsWith(`${key}:`))?.slice(key.length + 1) ?? '';
  const tag: Tag = {
    name,
    file: rawFile.replace(/^\.\//, ''),
    line: Number(field('line')),
    kind,
    language: field('language'),
    scope: fields.find((value) => value.startsWith('scope:')) ?? '',
  };
  const language = languageOf(tag.file);
  const entry = files.get(tag.file);
  if (!language || !entry || entry.skipped) continue;
  const reason = leftOut(tag, source);
  if (reason) {
    const byReason = excluded.get(language) ?? new Map<string, number>();
    excluded.set(language, byReason);
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    continue;
  }
  const tally = tallies.get(language) ?? { ctags: 0, found: 0, misses: [] };
  tallies.set(language, tally);
  tally.ctags++;
  if (ours.get(tag.file)?.has(`${comparableName(name)}\t${tag.line}`)) tally.found++;
  else tally.misses.push(`${tag.file}:${tag.line} ${kind} ${name}`);
}

const pad = (text: string | number, width: number) => String(text).padStart(width);
console.log(`${'language'.padEnd(11)}${pad('ctags', 9)}${pad('found', 9)}${pad('recall', 9)}${pad('index', 9)}`);
let allCtags = 0;
let allFound = 0;
for (const [language, tally] of [...tallies].sort()) {
  allCtags += tally.ctags;
  allFound += tally.found;
  const recall = ((tally.found / tally.ctags) * 100).toFixed(1);
  console.log(
    `${language.padEnd(11)}${pad(tally.ctags, 9)}${pad(tally.found, 9)}${pad(`${recall}%`, 9)}${pad(ourCounts.get(language) ?? 0, 9)}`,
  );
}
console.log(
  `${'all'.padEnd(11)}${pad(allCtags, 9)}${pad(allFound, 9)}${pad(`${((allFound / allCtags) * 100).toFixed(1)}%`, 9)}`,
);
const tsx = [...files].filter(([file, entry]) => file.endsWith('.tsx') && !entry.skipped);
const tsxDefinitions = tsx.reduce((sum, [file]) => sum + (ours.get(file)?.size ?? 0), 0);
console.log(`tsx: ${tsx.length} files, ${tsxDefinitions} definitions in the index (ctags reads no .tsx)`);
console.log(`index: ${stats.files} source files, left out: ${JSON.stringify(stats.skipped)}`);
console.log('ctags tags left out of the comparison:');
for (const [language, byReason] of [...excluded].sort()) {
  console.log(`  ${language.padEnd(11)} ${[...byReason].map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
}

if (showMisses > 0) {
  for (const [language, tally] of tallies) {
    if (tally.misses.length === 0) continue;
    const byKind = new Map<string, number>();
    for (const miss of tally.misses) {
      const kind = miss.split(' ')[1]!;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    const kinds = [...byKind].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`);
    console.log(`\nmissed (${language}): ${kinds.join(', ')}; first ${showMisses} of ${tally.misses.length}:`);
    for (const miss of tally.misses.slice(0, showMisses)) console.log(`  ${miss}`);
  }
}
