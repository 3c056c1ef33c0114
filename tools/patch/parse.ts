// Parses V4A patch text into file operations. Strict about what would be a
// guess (a hunk line without a prefix), lenient about what is clear (blank
// lines, `@@ -1,3 +1,4 @@` ranges copied from unified diffs, no first `@@`).
import { extractPatchBody } from './extract.js';
import { patchError } from './patch-error.js';
import type { FileOperation, Hunk, ParsedPatch } from './types.js';

const ADD = '*** Add File:';
const DELETE = '*** Delete File:';
const UPDATE = '*** Update File:';
const MOVE = '*** Move to:';
const END_OF_FILE = '*** End of File';
/** The line ranges of a unified-diff hunk header; they carry no text to search for. */
const DIFF_RANGES = /^-\d+(?:,\d+)?\s+\+\d+(?:,\d+)?\s*@@\s*/;

type OpenHunk = Hunk & { blankRun: number };

export function parsePatch(input: string): ParsedPatch {
  if (typeof input !== 'string') throw patchError('The "input" argument must be the patch text, a string.');
  const body = extractPatchBody(input);
  const operations: FileOperation[] = [];
  let current: FileOperation | undefined;
  let hunk: OpenHunk | undefined;
  let pendingBlankAdds = 0;

  const where = (index: number) => `line ${body.firstLineNumber + index} of the patch`;
  const closeHunk = () => {
    if (!hunk || current?.type !== 'update') return;
    if (hunk.lines.length === 0) {
      throw patchError(
        `${current.path}, hunk ${hunk.number}: it has "@@" lines but no lines to change.`,
        'Follow the "@@" line with context lines (" "), removed lines ("-") and added lines ("+").',
      );
    }
    const { blankRun, ...done } = hunk;
    current.hunks.push({ ...done, trailingBlankLines: blankRun });
    hunk = undefined;
  };
  const closeFile = () => {
    closeHunk();
    if (current?.type === 'update' && current.hunks.length === 0 && current.moveTo === undefined) {
      throw patchError(
        `${current.path}: "${UPDATE}" has no hunks, so it would change nothing.`,
        'Add hunks ("@@" then context, "-" and "+" lines), or leave the file out of the patch.',
      );
    }
    current = undefined;
    pendingBlankAdds = 0;
  };
  const openHunk = (file: Extract<FileOperation, { type: 'update' }>): OpenHunk => {
    hunk = {
      number: file.hunks.length + 1,
      headers: [],
      lines: [],
      atEndOfFile: false,
      trailingBlankLines: 0,
      blankRun: 0,
    };
    return hunk;
  };

  body.lines.forEach((line, index) => {
    const header = line.trimEnd();
    const pathAfter = (prefix: string) => {
      const value = header.slice(prefix.length).trim();
      if (value === '') throw patchError(`"${prefix}" at ${where(index)} has no path after it.`);
      return value;
    };

    if (header.startsWith(ADD) || header.startsWith(DELETE) || header.startsWith(UPDATE)) {
      closeFile();
      if (header.startsWith(ADD)) current = { type: 'add', path: pathAfter(ADD), lines: [] };
      else if (header.startsWith(DELETE)) current = { type: 'delete', path: pathAfter(DELETE) };
      else current = { type: 'update', path: pathAfter(UPDATE), hunks: [] };
      operations.push(current);
      return;
    }
    if (header.startsWith(MOVE)) {
      if (current?.type !== 'update' || current.hunks.length > 0 || hunk || current.moveTo !== undefined) {
        throw patchError(`"${MOVE}" at ${where(index)} must come right after an "${UPDATE}" line.`);
      }
      current.moveTo = pathAfter(MOVE);
      return;
    }
    if (header === END_OF_FILE) {
      if (current?.type !== 'update' || !hunk) {
        throw patchError(
          `"${END_OF_FILE}" at ${where(index)} must follow the lines of a hunk in an "${UPDATE}" section.`,
        );
      }
      hunk.atEndOfFile = true;
      closeHunk();
      return;
    }
    if (header.startsWith('*** ')) {
      throw patchError(
        `Unknown patch line at ${where(index)}: ${JSON.stringify(header)}.`,
        `File sections start with "${ADD} path", "${UPDATE} path" or "${DELETE} path"; the patch ends with "*** End Patch".`,
      );
    }

    if (!current) {
      if (header === '') return;
      throw patchError(
        `${where(index)} (${JSON.stringify(line)}) is outside any file section.`,
        `Start each file's changes with "${UPDATE} path", "${ADD} path" or "${DELETE} path".`,
      );
    }

    if (current.type === 'add') {
      if (line.startsWith('+')) {
        // Blank lines between "+" lines are empty lines of the file; trailing ones are spacing.
        for (; pendingBlankAdds > 0; pendingBlankAdds--) current.lines.push('');
        current.lines.push(line.slice(1));
      } else if (header === '') pendingBlankAdds++;
      else {
        throw patchError(
          `${current.path}: ${where(index)} (${JSON.stringify(line)}) does not start with "+".`,
          `Every line of a file added with "${ADD}" starts with "+".`,
        );
      }
      return;
    }

    if (current.type === 'delete') {
      if (header === '') return;
      throw patchError(
        `${current.path}: ${where(index)} follows "${DELETE}", which takes no lines.`,
        `To change the file instead, use "${UPDATE} ${current.path}".`,
      );
    }

    if (line.startsWith('@@')) {
      if (hunk && hunk.lines.length > 0) closeHunk();
      const open = hunk ?? openHunk(current);
      const text = line.slice(2).trim().replace(DIFF_RANGES, '').trim();
      if (text !== '' && text !== '@@') open.headers.push(text);
      return;
    }
    const prefix = line[0];
    if (prefix === ' ' || prefix === '-' || prefix === '+' || line === '') {
      if (!hunk) {
        if (line === '') return;
        if (current.hunks.length > 0) {
          throw patchError(
            `${current.path}: ${where(index)} follows "${END_OF_FILE}" but is not in a hunk.`,
            'Start another hunk with an "@@" line.',
          );
        }
        openHunk(current);
      }
      const open = hunk!;
      const kind = prefix === '-' ? 'remove' : prefix === '+' ? 'add' : 'context';
      open.lines.push({ kind, text: line.slice(1) });
      open.blankRun = line === '' ? open.blankRun + 1 : 0;
      return;
    }
    throw patchError(
      `${current.path}, hunk ${hunk?.number ?? current.hunks.length + 1}: ${where(index)} (${JSON.stringify(line)}) ` +
        'does not start with " " (context), "-" (remove) or "+" (add).',
      'Prefix every line of a hunk with one of those characters; an unchanged line needs a leading space.',
    );
  });
  closeFile();

  if (operations.length === 0) {
    throw patchError(
      'The patch has no file sections.',
      `Add "${UPDATE} path", "${ADD} path" or "${DELETE} path" sections.`,
    );
  }
  return { operations };
}
