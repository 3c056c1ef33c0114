// Indexes one source file: reads it, applies the skip rules, and turns its
// definitions into the block the index stores. Runs in a worker thread.
import { skipByContent, skipByPath } from './file-filter.js';
import { encodeDefinitions, type SkipState } from './index-store.js';
import { languageOf } from './languages.js';
import type { TagReader } from './tags.js';
import type { AnchoredTree } from '../workspace/anchored-tree.js';

export interface FileIndexResult {
  skipped?: SkipState;
  block: string;
}

export async function indexSourceFile(
  reader: TagReader,
  /** The repository's files, read without following links. */
  files: AnchoredTree,
  relative: string,
  size: number,
): Promise<FileIndexResult> {
  const language = languageOf(relative);
  const bySize = skipByPath(relative, size);
  if (!language || bySize) return { skipped: bySize ?? 'unparsable', block: '' };
  // Read without following links: a directory swapped for one since the listing must not index files outside.
  const text = await files.readText(relative);
  // Deleted, unreadable or replaced since it was listed: the next lookup sees it again.
  if (text === undefined) return { skipped: 'unparsable', block: '' };
  const byContent = skipByContent(text);
  if (byContent) return { skipped: byContent, block: '' };
  const definitions = await reader.definitions(language, text);
  if (!definitions) return { skipped: 'unparsable', block: '' };
  return { block: encodeDefinitions(definitions) };
}
