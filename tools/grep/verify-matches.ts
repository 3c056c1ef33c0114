// Keeps only the grep matches whose lines are in the repository's own files.
// ripgrep and git grep read files by path while they walk: a directory below
// the one searched, swapped for a symbolic link mid-walk, would let them read
// outside the repository. So every line about to be shown is read again
// through directories held open without following links
// (tools/workspace/anchored-tree.ts) and must be there, as shown; a match
// that is not (its file lies outside, or changed meanwhile) is left out.
import { StringDecoder } from 'node:string_decoder';
import type { FileHandle } from 'node:fs/promises';
import type { GrepMatch } from './match.js';
import { AnchoredTree } from '../workspace/anchored-tree.js';
import { cutLine } from '../text/cut-line.js';

const CHUNK_BYTES = 64 * 1024;
const READ_CONCURRENCY = 8;

export interface VerifiedMatches {
  kept: GrepMatch[];
  /** Matches left out: their lines are not in the repository's file of that name. */
  dropped: number;
}

export async function verifyMatches(
  root: string,
  matches: readonly GrepMatch[],
  maxLineChars: number,
): Promise<VerifiedMatches> {
  const byFile = new Map<string, GrepMatch[]>();
  for (const match of matches) {
    const list = byFile.get(match.file);
    if (list) list.push(match);
    else byFile.set(match.file, [match]);
  }
  const good = new Set<GrepMatch>();
  const tree = new AnchoredTree(root);
  try {
    const files = [...byFile];
    // A few files at a time: each read is a trip through the thread pool.
    const worker = async () => {
      for (let next = files.shift(); next; next = files.shift()) {
        const [file, fileMatches] = next;
        const wanted = new Set<number>();
        for (const match of fileMatches) {
          for (let n = match.line - match.before.length; n <= match.line + match.after.length; n++) wanted.add(n);
        }
        const lines = await anchoredLines(tree, file, wanted);
        if (!lines) continue;
        for (const match of fileMatches) if (matchIsIn(match, lines, maxLineChars)) good.add(match);
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  } finally {
    await tree.close();
  }
  const kept = matches.filter((match) => good.has(match));
  return { kept, dropped: matches.length - kept.length };
}

function matchIsIn(match: GrepMatch, lines: Map<number, string>, max: number): boolean {
  const first = match.line - match.before.length;
  const shown = [...match.before, match.text, ...match.after];
  return shown.every((text, i) => {
    const actual = lines.get(first + i);
    return actual !== undefined && shownFrom(text, actual, max);
  });
}

/** Whether `shown` is `actual` as the collector shows it: whole, cut at the end, or cut around a match. */
function shownFrom(shown: string, actual: string, max: number): boolean {
  if (shown === actual) return true;
  if (actual.length <= max) return false;
  if (shown === cutLine(actual, max)) return true;
  // Cut around the match: "…" marks what was left out on either side.
  const core = shown.replace(/^…/, '').replace(/…$/, '');
  return core.length > 0 && actual.includes(core);
}

/** The wanted lines (1-based, without line endings) of the file, read without following links; undefined when it cannot be. */
async function anchoredLines(
  tree: AnchoredTree,
  file: string,
  wanted: Set<number>,
): Promise<Map<number, string> | undefined> {
  let handle: FileHandle | undefined;
  try {
    handle = await tree.openFile(file);
    if (!handle) return undefined;
    return await scanLines(handle, wanted);
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** Reads the file in chunks, keeping only the wanted lines, up to the last of them. */
async function scanLines(handle: FileHandle, wanted: Set<number>): Promise<Map<number, string>> {
  let last = 0;
  for (const line of wanted) last = Math.max(last, line);
  const found = new Map<number, string>();
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let lineNumber = 1;
  let partial = '';
  const take = (text: string) => {
    if (wanted.has(lineNumber)) found.set(lineNumber, text.endsWith('\r') ? text.slice(0, -1) : text);
    lineNumber++;
  };
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    const chunk = decoder.write(buffer.subarray(0, bytesRead));
    let start = 0;
    for (let newline = chunk.indexOf('\n'); newline !== -1; newline = chunk.indexOf('\n', start)) {
      // Only wanted lines are assembled: the others are counted, never kept.
      take(wanted.has(lineNumber) ? partial + chunk.slice(start, newline) : '');
      partial = '';
      start = newline + 1;
      if (lineNumber > last) return found;
    }
    if (wanted.has(lineNumber)) partial += chunk.slice(start);
  }
  partial += decoder.end();
  if (partial !== '') take(partial);
  return found;
}
