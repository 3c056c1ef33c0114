// Reads a window of lines from a text file in fixed-size chunks: only the
// lines asked for are kept (each cut to a bounded size), the rest are only
// counted, so a multi-gigabyte log costs a scan, never its size in memory.
import { open, type FileHandle } from 'node:fs/promises';
import { cutLine } from '../text/cut-line.js';

const CHUNK_BYTES = 64 * 1024;

export interface LineWindowRequest {
  /** First line to keep, 1-based. */
  start: number;
  /** Most lines to keep. */
  maxLines: number;
  /** Stop keeping lines once they add up to this many characters (at least one line is kept). */
  maxChars?: number;
  /** Characters each kept line costs on top of its text (its number and tab), for maxChars. */
  lineOverhead?: number;
  /** Longer lines are cut (with a marker). */
  maxLineChars: number;
  /** After the window, lines are counted only until this many bytes of the file were read. */
  countLimitBytes: number;
  signal: AbortSignal;
}

export interface LineWindow {
  /** The kept lines, from `start` on, without line endings. */
  lines: string[];
  /** How many kept lines were cut. */
  cutLines: number;
  /** Lines in the file, or in its first `countLimitBytes` when `totalExact` is false. */
  totalLines: number;
  totalExact: boolean;
}

/** `file` is a path, or a file already open (read from its start, left open for the caller). */
export async function readLineWindow(file: string | FileHandle, request: LineWindowRequest): Promise<LineWindow> {
  const { start, maxLines, maxLineChars, countLimitBytes, signal } = request;
  const maxChars = request.maxChars ?? Number.POSITIVE_INFINITY;
  const lineOverhead = request.lineOverhead ?? 0;
  // Bytes kept of one line: enough for maxLineChars characters of any width, plus some to measure.
  const maxLineBytes = maxLineChars * 4 + 4;
  const decoder = new TextDecoder('utf-8');
  const lines: string[] = [];
  let cutLines = 0;
  let keptChars = 0;
  let windowFull = maxLines <= 0;

  let lineNumber = 1;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let lineBytes = 0;

  const keep = (): void => {
    if (windowFull || lineNumber < start) return;
    let text = decoder.decode(Buffer.concat(parts, partBytes));
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (lineBytes > partBytes) {
      // Only the head of a huge line was kept; its length is known in bytes.
      cutLines++;
      text = `${text.slice(0, maxLineChars)} …[cut at ${maxLineChars} chars of a ${lineBytes}-byte line]`;
    } else if (text.length > maxLineChars) {
      cutLines++;
      text = cutLine(text, maxLineChars);
    }
    if (lines.length > 0 && keptChars + lineOverhead + text.length > maxChars) {
      windowFull = true;
      return;
    }
    lines.push(text);
    keptChars += lineOverhead + text.length;
    if (lines.length >= maxLines) windowFull = true;
  };
  const collect = (bytes: Buffer): void => {
    lineBytes += bytes.length;
    if (windowFull || lineNumber < start || partBytes >= maxLineBytes) return;
    const room = maxLineBytes - partBytes;
    // Copy: the chunk buffer is reused for the next read.
    const part = Buffer.from(bytes.subarray(0, room));
    parts.push(part);
    partBytes += part.length;
  };

  const handle = typeof file === 'string' ? await open(file, 'r') : file;
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let bytesRead = 0;
    for (;;) {
      signal.throwIfAborted();
      const { bytesRead: n } = await handle.read(chunk, 0, CHUNK_BYTES, bytesRead);
      if (n === 0) break;
      bytesRead += n;
      let from = 0;
      for (let newline = chunk.indexOf(10, from); newline !== -1 && newline < n; newline = chunk.indexOf(10, from)) {
        collect(chunk.subarray(from, newline));
        keep();
        lineNumber++;
        parts = [];
        partBytes = 0;
        lineBytes = 0;
        from = newline + 1;
      }
      if (from < n) collect(chunk.subarray(from, n));
      if (windowFull && bytesRead >= countLimitBytes) {
        return { lines, cutLines, totalLines: lineNumber - 1 + (lineBytes > 0 ? 1 : 0), totalExact: false };
      }
    }
  } finally {
    if (typeof file === 'string') await handle.close();
  }
  // A last line without a newline is a line too.
  if (lineBytes > 0) keep();
  const totalLines = lineNumber - 1 + (lineBytes > 0 ? 1 : 0);
  return { lines, cutLines, totalLines, totalExact: true };
}
