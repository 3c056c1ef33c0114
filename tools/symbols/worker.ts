// The worker thread behind the symbols tool: answers one request (see
// requests.ts) and ends.
import { lstatSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { skipByContent, skipByPath } from './file-filter.js';
import { findDefinitions, type DefinitionHit } from './index-query.js';
import { refreshIndex } from './index-refresh.js';
import { languageOf } from './languages.js';
import { rankByMatchAndPlace } from './rank.js';
import type {
  DefinitionsRequest,
  DefinitionsResponse,
  FileReference,
  OutlineRequest,
  OutlineResponse,
  ReferencesRequest,
  ReferencesResponse,
  ShownDefinition,
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
  }
}

async function definitions(request: DefinitionsRequest): Promise<DefinitionsResponse> {
  const { root, isGitRepo, rg, indexFile } = request;
  const { files, stats } = await refreshIndex({ root, isGitRepo, rg, ...(indexFile ? { indexFile } : {}) });
  const { hits, ...found } = findDefinitions(files, request.search);
  const shown = rankByMatchAndPlace(hits, request.recentPaths).slice(0, request.limit);
  return { ...found, shown: withSignatures(root, shown), index: stats };
}

/** The shown definitions with their lines of code, read from their files (the index does not keep them). */
function withSignatures(root: string, hits: DefinitionHit[]): ShownDefinition[] {
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

async function references(request: ReferencesRequest): Promise<ReferencesResponse> {
  const reader = await TagReader.create();
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
      text !== undefined && !skipByContent(text)
        ? await reader.references(language!, text, request.name, rows)
        : undefined;
    if (!references) {
      skippedFiles++;
      continue;
    }
    for (const reference of references) found.push({ file, ...reference });
  }
  return { references: found, skippedFiles };
}
