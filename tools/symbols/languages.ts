// The languages the symbol index understands: which file names belong to
// which tree-sitter grammar, where the grammar's .wasm file is, and which
// tags queries (tools/queries/*.scm) find its definitions and references.
import { createRequire } from 'node:module';
import path from 'node:path';
import { packagePath } from '../package/files.js';

export type LanguageId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java' | 'c' | 'cpp';

export interface SymbolLanguage {
  id: LanguageId;
  /** The grammar package's .wasm file, as a module specifier. */
  wasm: string;
  /** Query files under tools/queries/, concatenated in this order (a later file may build on an earlier one). */
  queries: string[];
}

export const LANGUAGES: Record<LanguageId, SymbolLanguage> = {
  typescript: {
    id: 'typescript',
    wasm: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
    queries: ['ecmascript-tags.scm', 'typescript-tags.scm'],
  },
  // The TSX grammar is TypeScript's plus JSX, so TypeScript's queries fit it.
  tsx: {
    id: 'tsx',
    wasm: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
    queries: ['ecmascript-tags.scm', 'typescript-tags.scm'],
  },
  javascript: {
    id: 'javascript',
    wasm: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
    queries: ['ecmascript-tags.scm', 'javascript-tags.scm'],
  },
  python: { id: 'python', wasm: 'tree-sitter-python/tree-sitter-python.wasm', queries: ['python-tags.scm'] },
  go: { id: 'go', wasm: 'tree-sitter-go/tree-sitter-go.wasm', queries: ['go-tags.scm'] },
  rust: { id: 'rust', wasm: 'tree-sitter-rust/tree-sitter-rust.wasm', queries: ['rust-tags.scm'] },
  java: { id: 'java', wasm: 'tree-sitter-java/tree-sitter-java.wasm', queries: ['java-tags.scm'] },
  c: { id: 'c', wasm: 'tree-sitter-c/tree-sitter-c.wasm', queries: ['c-tags.scm'] },
  // C++'s grammar extends C's, so C's queries hold for it too.
  cpp: { id: 'cpp', wasm: 'tree-sitter-cpp/tree-sitter-cpp.wasm', queries: ['c-tags.scm', 'cpp-tags.scm'] },
};

const BY_EXTENSION: Record<string, LanguageId> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.c': 'c',
  // Headers are parsed as C++: its grammar reads C too, and C++ headers are common.
  '.h': 'cpp',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.c++': 'cpp',
  '.hh': 'cpp',
  '.hpp': 'cpp',
  '.hxx': 'cpp',
  '.h++': 'cpp',
};

/** The language of a file, by its extension; undefined for files the index does not read. */
export function languageOf(file: string): LanguageId | undefined {
  const extension = path.extname(file);
  return Object.hasOwn(BY_EXTENSION, extension) ? BY_EXTENSION[extension] : undefined;
}

/** A file-name glob for every extension above, for ripgrep to narrow a walk with. */
export const SOURCE_GLOB = `*.{${Object.keys(BY_EXTENSION)
  .map((extension) => extension.slice(1))
  .join(',')}}`;

/** The absolute path of a language's grammar (.wasm). */
export function grammarPath(language: SymbolLanguage): string {
  return createRequire(import.meta.url).resolve(language.wasm);
}

/** The absolute path of a query file under tools/queries/. */
export function queryPath(name: string): string {
  return packagePath('tools', 'queries', name);
}
