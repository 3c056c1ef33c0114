// Finds the patch inside what the model sent. Models wrap it in prose, code
// fences or a shell heredoc (`apply_patch <<'EOF'`), and sometimes leave out
// `*** End Patch`; all of that is unambiguous and is peeled off here.
import { patchError } from './patch-error.js';

export const BEGIN_MARKER = '*** Begin Patch';
export const END_MARKER = '*** End Patch';
const FILE_HEADER = /^\*\*\* (?:Add|Update|Delete) File:/;
const HEREDOC_OPENER = /^\s*(?:\S*\/)?(?:apply_patch|applypatch)\b.*<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1\s*$/;
// No leading space: " ```" is a context line of a Markdown file.
const FENCE = /^(?:`{3,}|~{3,})[\w-]*\s*$/;

export interface PatchBody {
  /** The lines between the begin and end markers. */
  lines: string[];
  /** 1-based line number, in the input, of lines[0]. */
  firstLineNumber: number;
}

export function extractPatchBody(input: string): PatchBody {
  const lines = input.split(/\r?\n/);
  let begin = lines.findIndex((line) => line.trim() === BEGIN_MARKER);
  let bodyStart = begin + 1;
  if (begin === -1) {
    // A patch that starts straight with a file header is still clear.
    begin = lines.findIndex((line) => FILE_HEADER.test(line.trimEnd()));
    bodyStart = begin;
  }
  if (begin === -1) {
    throw patchError(
      `The input is not a patch: it has no "${BEGIN_MARKER}" line and no file header.`,
      `Send the patch text itself: "${BEGIN_MARKER}", then "*** Update File: path" (or Add File / Delete File) and its hunks, then "${END_MARKER}".`,
    );
  }

  const endOffset = lines.slice(bodyStart).findIndex((line) => line.trimEnd() === END_MARKER);
  if (endOffset !== -1) {
    const end = bodyStart + endOffset;
    const secondBegin = lines.slice(end + 1).findIndex((line) => line.trim() === BEGIN_MARKER);
    if (secondBegin !== -1) {
      throw patchError(
        `The input holds more than one patch (a second "${BEGIN_MARKER}" at line ${end + secondBegin + 2}).`,
        'Put every file section into one patch.',
      );
    }
    return { lines: lines.slice(bodyStart, end), firstLineNumber: bodyStart + 1 };
  }

  // No end marker: the patch runs to a closing fence or heredoc word (neither can be a
  // patch line), else to the end of the input; blank lines before that are spacing.
  const heredocTag = lines
    .slice(0, begin)
    .map((line) => HEREDOC_OPENER.exec(line)?.[2])
    .findLast((tag) => tag !== undefined);
  const closer = lines
    .slice(bodyStart)
    .findIndex(
      (line) => FENCE.test(line) || (heredocTag !== undefined && line.replace(/^\t+/, '').trimEnd() === heredocTag),
    );
  let end = closer === -1 ? lines.length : bodyStart + closer;
  while (end > bodyStart && lines[end - 1]!.trim() === '') end--;
  return { lines: lines.slice(bodyStart, end), firstLineNumber: bodyStart + 1 };
}
