// Brings the symbol index of a repository up to date: lists the source
// files (.gitignore respected), compares each one's size and modification
// time with the stored index, parses only the new and changed ones, drops
// the deleted ones, and saves. A first run parses everything, saving as it
// goes, so an interrupted build resumes where it stopped.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { walkFiles } from '../files/file-sources.js';
import { loadIndex, saveIndex, type IndexFiles } from './index-store.js';
import { grammarPath, LANGUAGES, languageOf, queryPath, SOURCE_GLOB } from './languages.js';
import { MAX_PARSE_THREADS, parseFiles, type ParseJob } from './parse-pool.js';

export interface RefreshOptions {
  /** The workspace root (a real path). */
  root: string;
  isGitRepo: boolean;
  /** ripgrep's path, when there is one. */
  rg: string | undefined;
  /** Where the index is kept; without one it is built for this call only. */
  indexFile?: string;
  /** Parse threads for a large batch; default: one per core, at most MAX_PARSE_THREADS. */
  threads?: number;
}

export interface RefreshStats {
  /** Source files in the index. */
  files: number;
  /** Files parsed by this refresh (new or changed since the stored index). */
  parsed: number;
  /** Up to PARSED_NAMES_SHOWN of them, for tests and the --json output. */
  parsedFiles: string[];
  /** Files dropped because they are gone. */
  removed: number;
  /** Files left out (too large, minified, generated, unparsable), by reason. */
  skipped: Record<string, number>;
  /** False when the repository has more source files than MAX_INDEXED_FILES. */
  complete: boolean;
  /** Trouble that did not stop the lookup (the index could not be saved, the listing was partial). */
  warning?: string;
}

/** Source files indexed at most; past this the index says it is incomplete. */
export const MAX_INDEXED_FILES = 200_000;
const PARSED_NAMES_SHOWN = 20;
/** During a long build the index is saved this often, so an interrupted build loses little. */
const CHECKPOINT_MS = 10_000;

export async function refreshIndex(options: RefreshOptions): Promise<{ files: IndexFiles; stats: RefreshStats }> {
  const { root, indexFile } = options;
  const schema = indexSchema();
  const stored = indexFile ? loadIndex(indexFile, schema) : undefined;
  const files: IndexFiles = stored ?? new Map();
  let saveFailure: string | undefined;
  // An index that cannot be saved (a read-only or full disk) still answers this lookup.
  const save = (): void => {
    if (!indexFile || saveFailure) return;
    try {
      saveIndex(indexFile, schema, files);
    } catch (error) {
      saveFailure = `The symbol index could not be saved to ${indexFile} (${(error as Error).message}), so every lookup builds it anew; check that the cache directory is writable.`;
    }
  };

  const listed = new Set<string>();
  const jobs: Array<ParseJob & { mtime: string }> = [];
  const walk = await walkFiles({
    workspace: { root, isGitRepo: options.isGitRepo },
    dir: '.',
    rg: options.rg,
    nameGlob: SOURCE_GLOB,
    signal: new AbortController().signal,
    onFile(relative) {
      // Names with tabs or newlines cannot be stored (nor are they source files anyone writes).
      if (!languageOf(relative) || /[\t\n\r]/.test(relative)) return undefined;
      const info = lstatSync(path.join(root, relative), { bigint: true, throwIfNoEntry: false });
      // Symbolic links are not followed: they may lead out of the workspace.
      if (!info?.isFile()) return undefined;
      listed.add(relative);
      const size = Number(info.size);
      const mtime = info.mtimeNs.toString();
      const known = files.get(relative);
      if (!known || known.size !== size || known.mtime !== mtime) jobs.push({ path: relative, size, mtime });
      return listed.size >= MAX_INDEXED_FILES ? 'stop' : undefined;
    },
  });

  let removed = 0;
  for (const relative of files.keys()) {
    if (!listed.has(relative)) {
      files.delete(relative);
      removed++;
    }
  }

  const byPath = new Map(jobs.map((job) => [job.path, job]));
  let lastSave = performance.now();
  await parseFiles({
    root,
    jobs,
    threads: options.threads ?? Math.min(availableParallelism(), MAX_PARSE_THREADS),
    onResult(result) {
      const job = byPath.get(result.path)!;
      files.set(result.path, {
        size: job.size,
        mtime: job.mtime,
        ...(result.skipped ? { skipped: result.skipped } : {}),
        block: result.block,
      });
      if (performance.now() - lastSave > CHECKPOINT_MS) {
        save();
        lastSave = performance.now();
      }
    },
  });
  if (!stored || jobs.length > 0 || removed > 0) save();

  const skipped: Record<string, number> = {};
  for (const entry of files.values()) if (entry.skipped) skipped[entry.skipped] = (skipped[entry.skipped] ?? 0) + 1;
  return {
    files,
    stats: {
      files: files.size,
      parsed: jobs.length,
      parsedFiles: jobs.slice(0, PARSED_NAMES_SHOWN).map((job) => job.path),
      removed,
      skipped,
      complete: !walk.stopped,
      ...(saveFailure || walk.warning ? { warning: [saveFailure, walk.warning].filter(Boolean).join(' ') } : {}),
    },
  };
}

/**
 * What the stored definitions depend on besides the files: the queries and
 * the grammars. An index made by other ones is rebuilt.
 */
export function indexSchema(): string {
  const hash = createHash('sha256');
  for (const language of Object.values(LANGUAGES)) {
    const manifest = path.join(path.dirname(grammarPath(language)), 'package.json');
    hash.update(`${language.id}\0${JSON.parse(readFileSync(manifest, 'utf8')).version}\0`);
    for (const query of language.queries) hash.update(readFileSync(queryPath(query)));
  }
  return hash.digest('hex').slice(0, 16);
}
