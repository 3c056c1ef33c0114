// read_file: a text file's lines, numbered, a window at a time.
import type { FileHandle } from 'node:fs/promises';
import { openAnchoredFile, type ReadSeams } from './workspace/anchored-read.js';
import path from 'node:path';
import { binaryReason, SNIFF_BYTES } from './files/binary-sniff.js';
import { formatBytes } from './text/format-bytes.js';
import { lineRangeSuffix } from './text/line-range.js';
import { statForRead } from './files/missing-path.js';
import { promptText } from './package/files.js';
import { plural } from './text/plural.js';
import { readLineWindow } from './files/read-lines.js';
import { defineTool, ToolError, type ToolResult } from './tool.js';

export interface ReadFileArgs {
  path: string;
  start_line?: number;
  end_line?: number;
}

/** Lines shown when the model gives no end_line. */
export const DEFAULT_MAX_LINES = 400;
/**
 * Characters shown (numbers included) when the model gives no end_line:
 * about 3,500 tokens, so the default window fits the loop's output budget
 * instead of being cut in the middle.
 */
export const DEFAULT_MAX_CHARS = 12_000;
/** The most lines one call returns, even for an explicit range. */
export const MAX_RANGE_LINES = 2000;
export const MAX_LINE_CHARS = 500;
/** Beyond this, lines after the window are no longer counted (the total becomes "at least"). */
const COUNT_LIMIT_BYTES = 256 * 1024 * 1024;

export interface ReadFileData {
  path: string;
  /** The lines shown, first and last (1-based); 0 and 0 for an empty file. */
  startLine: number;
  endLine: number;
  totalLines: number;
  /** False when the file was too big to count to the end; totalLines is then a lower bound. */
  totalLinesExact: boolean;
  /** The lines shown, without numbers; cut lines carry their marker. */
  lines: string[];
}

/** read_file; tests pass seams to change the tree between the guard's check and the read. */
export const createReadFileTool = (seams: ReadSeams = {}) =>
  defineTool<ReadFileArgs>({
    name: 'read_file',
    kind: 'read',
    description: promptText('tools/read_file.md'),
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string' },
        start_line: { type: 'integer', minimum: 1 },
        end_line: { type: 'integer', minimum: 1 },
      },
      required: ['path'],
      additionalProperties: false,
    },
    describe: (args) => `read ${args.path}${lineRangeSuffix(args.start_line, args.end_line)}`,
    async execute(args, ctx): Promise<ToolResult> {
      const { resolved } = await statForRead(ctx.workspace, args.path, 'file');
      // What was checked is a name; what is read is the file opened without following links.
      const handle = await openAnchoredFile(
        ctx.workspace.root,
        path.relative(ctx.workspace.root, resolved.absolute),
        seams,
      );
      if (!handle) {
        throw new ToolError(
          `${resolved.relative} was removed while it was being read. Check the path with list_files.`,
        );
      }
      try {
        return await readOpenFile(handle, resolved.relative, args, ctx.signal);
      } finally {
        await handle.close();
      }
    },
  });

export const readFileTool = createReadFileTool();

async function readOpenFile(
  handle: FileHandle,
  shown: string,
  args: ReadFileArgs,
  signal: AbortSignal,
): Promise<ToolResult> {
  const info = await handle.stat();
  if (info.isDirectory()) {
    throw new ToolError(`${shown} is a directory. Use list_files with path "${shown}" to see its files.`);
  }
  if (!info.isFile()) {
    throw new ToolError(`${shown} is not a regular file (a device, socket or pipe); it cannot be read.`);
  }

  const { start_line: startArg, end_line: endArg } = args;
  if (startArg !== undefined && endArg !== undefined && startArg > endArg) {
    throw new ToolError(`start_line (${startArg}) is after end_line (${endArg}). Give start_line <= end_line.`);
  }
  if (info.size === 0) {
    return {
      output: `${shown} is empty (0 bytes).`,
      data: { path: shown, startLine: 0, endLine: 0, totalLines: 0, totalLinesExact: true, lines: [] },
      summary: 'empty',
    };
  }

  const head = await readHead(handle);
  const binary = binaryReason(head, info.size <= head.length);
  if (binary) {
    throw new ToolError(
      `${shown} is a binary file (${formatBytes(info.size)}; ${binary}). read_file shows UTF-8 text only.`,
    );
  }

  const start = startArg ?? 1;
  const explicitEnd = endArg !== undefined;
  const requested = explicitEnd ? endArg - start + 1 : DEFAULT_MAX_LINES;
  const window = await readLineWindow(handle, {
    start,
    maxLines: Math.min(requested, MAX_RANGE_LINES),
    // The number, its padding and the tab count against the budget too.
    ...(explicitEnd ? {} : { maxChars: DEFAULT_MAX_CHARS, lineOverhead: String(start + DEFAULT_MAX_LINES).length + 1 }),
    maxLineChars: MAX_LINE_CHARS,
    countLimitBytes: COUNT_LIMIT_BYTES,
    signal,
  });
  const total = window.totalExact ? `${window.totalLines}` : `at least ${window.totalLines}`;
  if (window.lines.length === 0) {
    throw new ToolError(
      `${shown} has ${plural(window.totalLines, 'line')}; start_line ${start} is past the end. ` +
        `Ask for a range within 1-${window.totalLines}.`,
    );
  }

  const end = start + window.lines.length - 1;
  const width = String(end).length;
  const numbered = window.lines.map((line, i) => `${String(start + i).padStart(width)}\t${line}`);
  const notes: string[] = [];
  const more = end < window.totalLines || !window.totalExact;
  if (more) {
    const size = window.totalExact ? '' : ` (the file is ${formatBytes(info.size)})`;
    notes.push(`[Lines ${start}-${end} of ${total}${size}. To read on, call read_file with start_line=${end + 1}.]`);
  } else if (explicitEnd && endArg > end) {
    notes.push(`[The file ends at line ${end}.]`);
  }
  const whole = start === 1 && !more;
  const data: ReadFileData = {
    path: shown,
    startLine: start,
    endLine: end,
    totalLines: window.totalLines,
    totalLinesExact: window.totalExact,
    lines: window.lines,
  };
  return {
    output: [...numbered, ...notes].join('\n'),
    data,
    summary: whole ? plural(end, 'line') : `lines ${start}-${end} of ${total}`,
    moreHint: `read_file ${shown} with start_line and end_line for the lines that were cut`,
  };
}

async function readHead(handle: FileHandle): Promise<Buffer> {
  const buffer = Buffer.alloc(SNIFF_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
  return buffer.subarray(0, bytesRead);
}
