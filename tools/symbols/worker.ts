// The worker thread behind the symbols tool: answers one request (see
// requests.ts) and ends.
import { lstatSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { skipByContent, skipByPath } from './file-filter.js';
import { qualifiedName } from './format.js';
import { findDefinitions, innermostAt } from './index-query.js';
import { indexSchema, refreshIndex } from './index-refresh.js';
import { decodeDefinitions, loadIndex, type IndexFiles, type StoredDefinition } from './index-store.js';
import { languageOf } from './languages.js';
import { rankByMatchAndPlace } from './rank.js';
import type {
  DefinitionsRequest,
  DefinitionsResponse,
  EnclosingRequest,
  EnclosingResponse,
  FileReference,
  OutlineRequest,
  OutlineResponse,
  ReferencesRequest,
  ReferencesResponse,
  SymbolRequest,
  WorkerReply,
} from './requests.js';
import { SourceLines, TagReader } from './tags.js';

const request = workerData as SymbolRequest;
let reply: WorkerReply;
try {
  reply = { ok: true, value: await answer(request) };
} catch (error) {
  reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
}
parentPort!.postMessage(reply);

function answer(request: SymbolRequest): Promise<unknown> {
  switch (request.op) {
    case 'definitions':
      return definitions(request);
    case 'outline':
      return outline(request);
    case 'references':
      return references(request);
    case 'enclosing':
      return enclosing(request);
  }
}

async function definitions(request: DefinitionsRequest): Promise<DefinitionsResponse> {
  const { root, isGitRepo, rg, indexFile } = request;
  const { files, stats } = await refreshIndex({ root, isGitRepo, rg, ...(indexFile ? { indexFile } : {}) });
  const { hits, ...found } = findDefinitions(files, request.search);
  const shown = rankByMatchAndPlace(hits, request.recentPaths).slice(0, request.limit);
  return { ...found, shown: withSignatures(root, shown), index: stats };
}

/** Definitions with their lines of code, read from their files (the index does not keep them). */
function withSignatures<T extends { file: string; line: number }>(
  root: string,
  hits: readonly T[],
): Array<T & { signature: string }> {
  const sources = new Map<string, SourceLines | undefined>();
  return hits.map((hit) => {
    if (!sources.has(hit.file)) {
      let text: string | undefined;
      try {
        text = readFileSync(path.join(root, hit.file), 'utf8');
      } catch {
        text = undefined;
      }
      sources.set(hit.file, text === undefined ? undefined : new SourceLines(text));
    }
    return { ...hit, signature: sources.get(hit.file)?.text(hit.line - 1) ?? '' };
  });
}

async function outline(request: OutlineRequest): Promise<OutlineResponse> {
  const language = languageOf(request.file);
  if (!language) throw new Error(`${request.file} is not in a language the symbol index reads`);
  const absolute = path.join(request.root, request.file);
  const skippedBySize = skipByPath(request.file, statSync(absolute).size);
  if (skippedBySize === 'large') return { language, definitions: [], skipped: skippedBySize };
  const text = readFileSync(absolute, 'utf8');
  if (skipByContent(text) === 'binary') return { language, definitions: [], skipped: 'binary' };
  const reader = await TagReader.create();
  const found = await reader.definitions(language, text);
  return found ? { language, definitions: found } : { language, definitions: [], skipped: 'unparsable' };
}

async function enclosing(request: EnclosingRequest): Promise<EnclosingResponse> {
  const { root, isGitRepo, rg, indexFile } = request;
  const { files, stats } = await refreshIndex({ root, isGitRepo, rg, ...(indexFile ? { indexFile } : {}) });
  const found = request.files.map(({ file, lines }) => {
    const entry = files.get(file);
    if (!entry || entry.skipped) return { file, definitions: [], skipped: entry?.skipped ?? ('not indexed' as const) };
    const stored = decodeDefinitions(entry.block);
    const around = new Set<StoredDefinition>();
    for (const line of lines) {
      const definition = innermostAt(stored, line);
      if (definition) around.add(definition);
    }
    const ordered = stored
      .filter((definition) => around.has(definition))
      .map((definition) => ({ file, ...definition }));
    return { file, definitions: withSignatures(root, ordered) };
  });
  return { files: found, index: stats };
}

async function references(request: ReferencesRequest): Promise<ReferencesResponse> {
  const reader = await TagReader.create();
  const names = new Set(request.names);
  const outlines = request.indexFile ? definitionsByFile(request.indexFile) : undefined;
  const found: FileReference[] = [];
  let skippedFiles = 0;
  for (const { file, rows } of request.candidates) {
    const language = languageOf(file);
    const absolute = path.join(request.root, file);
    let text: string | undefined;
    try {
      // Symbolic links are not followed: they may lead out of the workspace.
      const info = lstatSync(absolute);
      if (language && info.isFile() && !skipByPath(file, info.size)) text = readFileSync(absolute, 'utf8');
    } catch {
      text = undefined;
    }
    const references =
      text !== undefined && !skipByContent(text) ? await reader.references(language!, text, names, rows) : undefined;
    if (!references) {
      skippedFiles++;
      continue;
    }
    const outline = outlines?.(file);
    for (const reference of references) {
      const around = outline && innermostAt(outline, reference.line);
      found.push({ file, ...reference, ...(around ? { within: qualifiedName(around) } : {}) });
    }
  }
  return { references: found, skippedFiles };
}

/** The stored definitions of a file, decoded on first use; nothing when there is no index. */
function definitionsByFile(indexFile: string): (file: string) => StoredDefinition[] | undefined {
  const files: IndexFiles | undefined = loadIndex(indexFile, indexSchema());
  const decoded = new Map<string, StoredDefinition[]>();
  return (file) => {
    const entry = files?.get(file);
    if (!entry) return undefined;
    let definitions = decoded.get(file);
    if (!definitions) {
      definitions = decodeDefinitions(entry.block);
      decoded.set(file, definitions);
    }
    return definitions;
  };
}
