// Places in a runner's report: absolute paths made relative to the
// repository, the first stack frame that is the project's own code, and
// excerpts with the runner's and the libraries' frames left out.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInside } from '../workspace/workspace.js';

export interface Place {
  file: string;
  line: number;
  column?: number;
}

/** A path (absolute, file:// URL, or relative to the root) as the model sees it: relative to the root. */
export function relativeToRoot(root: string, file: string): string {
  let absolute = file;
  if (file.startsWith('file://')) {
    try {
      absolute = fileURLToPath(file);
    } catch {
      return file;
    }
  }
  if (!path.isAbsolute(absolute)) return absolute.replace(/^\.\//, '');
  return isInside(root, absolute) ? path.relative(root, absolute).split(path.sep).join('/') : absolute;
}

/** Whether a path (as printed in a stack frame) is the project's own code. */
export function isProjectPath(root: string, file: string): boolean {
  if (file.includes('node_modules') || file.startsWith('node:') || file.includes('<anonymous>')) return false;
  // Remote modules (deno's https://jsr.io/…) and a runtime's own (deno's ext:cli/40_test.js) are never the project's.
  if (/^[a-z][a-z0-9+.-]+:/i.test(file) && !file.startsWith('file://')) return false;
  return isInside(root, path.resolve(root, relativeToRoot(root, file)));
}

const FRAME = /^\s*at (?:.*? \()?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

/** The first JavaScript stack frame in the project. */
export function firstProjectFrame(root: string, text: string): Place | undefined {
  for (const line of text.split('\n')) {
    const match = FRAME.exec(line);
    if (match && isProjectPath(root, match[1]!)) {
      return { file: relativeToRoot(root, match[1]!), line: Number(match[2]), column: Number(match[3]) };
    }
  }
  return undefined;
}

/**
 * A report's text without stack frames from outside the project, paths in
 * the project made relative, at most `maxLines` lines.
 */
export function excerpt(root: string, text: string, maxLines = 12, maxChars = 1200): string {
  const kept: string[] = [];
  // trimEnd, not /\s+$/: that pattern is tried from every character of a run of white space in the middle.
  for (const line of text.trimEnd().split('\n')) {
    const frame = FRAME.exec(line);
    if ((frame && !isProjectPath(root, frame[1]!)) || (!frame && /^\s+at .*\(<anonymous>\)$/.test(line))) continue;
    const shown = root === '/' ? line : line.replaceAll(`file://${root}/`, '').replaceAll(`${root}/`, '');
    kept.push(shown.length > 200 ? `${shown.slice(0, 199)}…` : shown);
  }
  let out = kept.slice(0, maxLines).join('\n');
  if (kept.length > maxLines) out += `\n… (${kept.length - maxLines} more lines)`;
  return out.length > maxChars ? `${out.slice(0, maxChars - 1)}…` : out;
}

/** The first line that is not empty. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}
