// The worker thread behind the symbols tool: answers one request (see
// requests.ts) and ends.
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
import { openAnchoredFile, readAnchoredText } from '../workspace/anchored-read.js';

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
  return { ...found, shown: await withSignatures(root, shown), index: stats };
}

/** Definitions with their lines of code, read from their files (the index does not keep them). */
async function withSignatures<T extends { file: string; line: number }>(
  root: string,
  hits: readonly T[],
): Promise<Array<T & { signature: string }>> {
  const sources = new Map<string, SourceLines | undefined>();
  const signed: Array<T & { signature: string }> = [];
  for (const hit of hits) {
    if (!sources.has(hit.file)) {
      // Without following links: the file may have been swapped for one since it was indexed.
      const text = await readAnchoredText(root, hit.file, Number.MAX_SAFE_INTEGER);
      sources.set(hit.file, text === undefined ? undefined : new SourceLines(text));
    }
    signed.push({ ...hit, signature: sources.get(hit.file)?.text(hit.line - 1) ?? '' });
  }
  return signed;
}

async function outline(request: OutlineRequest): Promise<OutlineResponse> {
  const language = languageOf(request.file);
  if (!language) throw new Error(`${request.file} is not in a language the symbol index reads`);
  // Without following links: the guard checked the name, and it may have been swapped for a link since.
  const handle = await openAnchoredFile(request.root, request.file);
  if (!handle) throw new Error(`${request.file} no longer exists`);
  let text: string;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`${request.file} is not a regular file`);
    const skippedBySize = skipByPath(request.file, info.size);
    if (skippedBySize === 'large') return { language, definitions: [], skipped: skippedBySize };
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  if (skipByContent(text) === 'binary') return { language, definitions: [], skipped: 'binary' };
  const reader = await TagReader.create();
  const found = await reader.definitions(language, text);
  return found ? { language, definitions: found } : { language, definitions: [], skipped: 'unparsable' };
}

async function enclosing(request: EnclosingRequest): Promise<EnclosingResponse> {
  const { root, isGitRepo, rg, indexFile } = request;
  const { files, stats } = await refreshIndex({ root, isGitRepo, rg, ...(indexFile ? { indexFile } : {}) });
  const found = [];
  for (const { file, lines } of request.files) {
    const entry = files.get(file);
    if (!entry || entry.skipped) {
      found.push({ file, definitions: [], skipped: entry?.skipped ?? ('not indexed' as const) });
      continue;
    }
    const stored = decodeDefinitions(entry.block);
    const around = new Set<StoredDefinition>();
    for (const line of lines) {
      const definition = innermostAt(stored, line);
      if (definition) around.add(definition);
    }
    const ordered = stored
      .filter((definition) => around.has(definition))
      .map((definition) => ({ file, ...definition }));
    found.push({ file, definitions: await withSignatures(root, ordered) });
  }
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
    let text: string | undefined;
    // Symbolic links are not followed, on the way or at the end: they may lead out of the workspace.
    const handle = language ? await openAnchoredFile(request.root, file).catch(() => undefined) : undefined;
    try {
      const info = await handle?.stat();
      if (handle && info?.isFile() && !skipByPath(file, info.size)) text = await handle.readFile('utf8');
    } catch {
      text = undefined;
    } finally {
      await handle?.close();
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
