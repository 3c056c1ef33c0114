// The symbol index on disk: one file per repository under the cache
// directory, holding each source file's size, modification time and
// definitions. A lookup reads it whole, so it is kept small and made to load
// without decoding every definition: a header line per file, then that
// file's definitions as one block of text (name, kind, line, container, and
// the lines the declaration spans as distances from the name's line, which
// are short; tab-separated, a line each). The line of code shown with a
// definition is read from the file when it is shown, not stored.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicallySync } from '../files/atomic-write.js';
import type { SkipReason } from './file-filter.js';
import type { Definition } from './tags.js';

/** A definition as stored: without its line of code. */
export type StoredDefinition = Omit<Definition, 'signature' | 'depth'>;

export type SkipState = SkipReason | 'unparsable';

export interface IndexedFile {
  size: number;
  /** Modification time in nanoseconds, as text (exact, unlike a double in milliseconds). */
  mtime: string;
  /** Why the file has no definitions in the index, when it was left out. */
  skipped?: SkipState;
  /** The definitions, encoded (see encodeDefinitions). */
  block: string;
}

/** Every indexed file, by path relative to the root. */
export type IndexFiles = Map<string, IndexedFile>;

const MAGIC = 'gptoss-agent symbol index 3';
const WRITE_CHUNK_CHARS = 1 << 20;

/** Where the index of the repository at `root` lives: named after it, and unique by a hash of its path. */
export function indexFileFor(cacheDir: string, root: string): string {
  const hash = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const name = path.basename(root).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  return path.join(cacheDir, 'symbols', `${name}-${hash}.idx`);
}

/** The stored files, or undefined when there is no index or it was made by other queries or another format. */
export function loadIndex(file: string, schema: string): IndexFiles | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const firstEnd = text.indexOf('\n');
  if (firstEnd === -1 || text.slice(0, firstEnd) !== `${MAGIC}\t${schema}`) return undefined;
  const files: IndexFiles = new Map();
  let at = firstEnd + 1;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    if (end === -1) return undefined;
    const [relative, size, mtime, skipped, length] = text.slice(at, end).split('\t');
    const blockLength = Number(length);
    if (!relative || !Number.isInteger(blockLength) || end + 1 + blockLength > text.length) return undefined;
    files.set(relative, {
      size: Number(size),
      mtime: mtime ?? '',
      ...(skipped ? { skipped: skipped as SkipState } : {}),
      block: text.slice(end + 1, end + 1 + blockLength),
    });
    at = end + 1 + blockLength;
  }
  return files;
}

/** Writes the index whole and atomically (another process may be reading it) a save that fails leaves nothing behind, or every lookup would try again. */
export function saveIndex(file: string, schema: string, files: IndexFiles): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // Written in chunks: the index of a large repository is never one string in memory.
  writeFileAtomicallySync(file, (write) => {
    let chunk = `${MAGIC}\t${schema}\n`;
    for (const [relative, entry] of files) {
      chunk += `${relative}\t${entry.size}\t${entry.mtime}\t${entry.skipped ?? ''}\t${entry.block.length}\n${entry.block}`;
      if (chunk.length > WRITE_CHUNK_CHARS) {
        write(chunk);
        chunk = '';
      }
    }
    write(chunk);
  });
}

export function encodeDefinitions(definitions: readonly StoredDefinition[]): string {
  let block = '';
  for (const { name, kind, line, container, startLine, endLine } of definitions) {
    block += `${name}\t${kind}\t${line}\t${container ?? ''}\t${line - startLine}\t${endLine - line}\n`;
  }
  return block;
}

export function decodeDefinitions(block: string): StoredDefinition[] {
  const out: StoredDefinition[] = [];
  for (const row of block.split('\n')) {
    if (row === '') continue;
    out.push(decodeDefinition(row));
  }
  return out;
}

export function decodeDefinition(row: string): StoredDefinition {
  const [name = '', kind = '', text = '0', container = '', before = '0', after = '0'] = row.split('\t');
  const line = Number(text);
  return {
    name,
    kind,
    line,
    startLine: line - Number(before),
    endLine: line + Number(after),
    ...(container ? { container } : {}),
  };
}
