// Computes a file's new text from its current text and the hunks of an
// "*** Update File" section. Nothing is written here; any hunk that cannot be
// placed exactly once stops the whole patch with an error the model can act on.
import { findHeaderLine, findSequence, SearchableLines } from './locate.js';
import { nearestWindow } from './nearest.js';
import { patchError } from './patch-error.js';
import { joinText, splitText, type TextLine } from './text-lines.js';
import type { Hunk, HunkLine } from './types.js';

/** Most lines of the patch or the file an error quotes. */
const QUOTE_LIMIT = 20;
const CANDIDATE_LIMIT = 10;

interface Placement {
  /** 0-based index of the first file line the hunk replaces. */
  start: number;
  lines: readonly HunkLine[];
}

/** A byte-order mark: part of the file, never of its first line (the model writes line 1 without it). */
const BOM = '\uFEFF';

export function applyHunks(path: string, content: string, hunks: readonly Hunk[]): string {
  const bom = content.startsWith(BOM) ? BOM : '';
  const split = splitText(content.slice(bom.length));
  const file = new SearchableLines(split.lines.map((line) => line.text));
  const placements: Placement[] = [];
  let cursor = 0;
  let searchedAfter = '';
  for (const hunk of hunks) {
    const where = `${path}, hunk ${hunk.number}`;
    for (const header of hunk.headers) {
      const index = findHeaderLine(file, header, cursor);
      if (index === undefined) {
        throw patchError(
          `${where}: no line matching "@@ ${header}" was found${searchedAfter ? ` after ${searchedAfter}` : ''}.`,
          'The text after "@@" must be a line of the file (such as the declaration of the function or class the change is in) ' +
            'that comes before the change. Re-read the file with read_file, or use a bare "@@".',
        );
      }
      cursor = index + 1;
      searchedAfter = `the "@@ ${header}" line (line ${index + 1})`;
    }
    const placement = placeHunk(file, hunk, cursor, where, searchedAfter, path);
    placements.push(placement);
    cursor = placement.start + oldLines(placement.lines).length;
    searchedAfter = `hunk ${hunk.number} (which ends at line ${cursor})`;
  }
  return bom + joinText(rebuild(split.lines, placements, split.eol), split);
}

function placeHunk(
  file: SearchableLines,
  hunk: Hunk,
  from: number,
  where: string,
  searchedAfter: string,
  path: string,
): Placement {
  // Blank patch lines at the end of a hunk are usually spacing, not empty file lines.
  const variants = [hunk.lines];
  if (hunk.trailingBlankLines > 0) variants.push(hunk.lines.slice(0, -hunk.trailingBlankLines));
  for (const lines of variants) {
    const old = oldLines(lines);
    if (old.length === 0) {
      // Only "+" lines: right after the @@ line, else at the end of the file.
      const atHeader = hunk.headers.length > 0 && !hunk.atEndOfFile;
      return { start: atHeader ? from : file.texts.length, lines };
    }
    const search = findSequence(file, old, from, hunk.atEndOfFile);
    if (search.kind === 'found') return { start: search.start, lines };
    if (search.kind === 'ambiguous') {
      const shown = search.starts.slice(0, CANDIDATE_LIMIT).map((start) => start + 1);
      const more = search.starts.length - shown.length;
      throw patchError(
        `${where}: its context and "-" lines match ${search.starts.length} places in the file ` +
          `(starting at lines ${listWords(shown.map(String))}${more > 0 ? ` and ${more} more` : ''})` +
          `${search.level.name === 'exact' ? '' : ` with ${search.level.name}`}, so it is unclear which one to change.`,
        'Add context lines that make it unique, or an "@@" line naming the function or class the change is in ' +
          '(for example "@@ function parse(") so that the hunk matches exactly one place.',
      );
    }
  }
  throw notFound(file, hunk, from, where, searchedAfter, path);
}

function notFound(file: SearchableLines, hunk: Hunk, from: number, where: string, searchedAfter: string, path: string) {
  const expected = hunk.lines.filter((line) => line.kind !== 'add');
  const paragraphs = [
    `${where}: these lines (context and "-") were not found in the file${searchedAfter ? ` after ${searchedAfter}` : ''}:`,
    quote(expected.map((line) => `${line.kind === 'remove' ? '-' : ' '}${line.text}`)),
  ];
  const old = oldLines(hunk.lines);
  const earlier = from > 0 ? findSequence(file, old, 0) : undefined;
  if (earlier?.kind === 'found' && earlier.start < from) {
    paragraphs.push(
      `They do appear at line ${earlier.start + 1}, above ${searchedAfter}. Hunks must be in the order of the file, ` +
        'each after the one before it and after its "@@" lines.',
    );
  } else {
    const nearest = nearestWindow(file.texts, old);
    if (nearest) {
      const last = nearest.start + nearest.length;
      paragraphs.push(
        `The most similar lines in ${path} are lines ${nearest.start + 1}-${last}:`,
        quote(file.texts.slice(nearest.start, last).map((text, i) => `${nearest.start + i + 1}: ${text}`)),
      );
    } else if (file.texts.length === 0) {
      paragraphs.push(`${path} is empty.`);
    } else {
      paragraphs.push(`No part of ${path} resembles them.`);
    }
    paragraphs.push(
      'Copy the context and "-" lines exactly as the file has them; if the file may have changed, re-read it with read_file first.',
    );
  }
  return patchError(...paragraphs);
}

function oldLines(lines: readonly HunkLine[]): string[] {
  return lines.filter((line) => line.kind !== 'add').map((line) => line.text);
}

/** The file's lines with each placed hunk's "-" lines dropped and "+" lines added; context keeps the file's text. */
function rebuild(original: readonly TextLine[], placements: readonly Placement[], eol: TextLine['eol']): TextLine[] {
  const out: TextLine[] = [];
  let next = 0;
  for (const { start, lines } of placements) {
    copyLines(original, next, start, out);
    let at = start;
    for (const line of lines) {
      if (line.kind === 'add') out.push({ text: line.text, eol });
      else if (line.kind === 'context') out.push(original[at++]!);
      else at++;
    }
    next = at;
  }
  copyLines(original, next, original.length, out);
  return out;
}

// A loop, not push(...slice): spreading a long file's lines as arguments overflows the call stack.
function copyLines(from: readonly TextLine[], start: number, end: number, to: TextLine[]): void {
  for (let i = start; i < end; i++) to.push(from[i]!);
}

function quote(lines: string[]): string {
  const shown = lines.slice(0, QUOTE_LIMIT).map((line) => `    ${line}`);
  if (lines.length > QUOTE_LIMIT) shown.push(`    … ${lines.length - QUOTE_LIMIT} more lines`);
  return shown.join('\n');
}

function listWords(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
