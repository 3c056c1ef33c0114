// Reads a report file that a sandboxed test command wrote (or could have
// replaced): never through a symbolic link, never a FIFO or device, never
// more than a cap. The files sit in the run's scratch directory (a bind mount
// the command cannot rename or remove) or in the repository; both are read
// through a directory held open (tools/workspace/anchored-read.ts).
import type { FileHandle } from 'node:fs/promises';
import { openAnchoredFile } from '../workspace/anchored-read.js';
import { formatBytes } from '../text/format-bytes.js';
import { ToolError } from '../tool-error.js';

/** One report at most: far above any real suite's JSON or JUnit file, far below what breaks a string. */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

export type ReportFile =
  | { kind: 'text'; text: string; mtimeMs: number }
  /** There, but not read; `why` says what it was, for the note the model gets. */
  | { kind: 'refused'; why: string }
  | { kind: 'missing' };

/** The report `relative` (forward slashes) below `dir`, read without following links. */
export async function readReportFile(
  dir: string,
  relative: string,
  maxBytes: number = MAX_REPORT_BYTES,
): Promise<ReportFile> {
  let handle: FileHandle | undefined;
  try {
    handle = await openAnchoredFile(dir, relative);
  } catch (error) {
    // A link (ELOOP) or a directory on the way replaced: the command put something else there.
    const why = error instanceof ToolError ? 'is a symbolic link or lies behind one' : 'could not be opened';
    return { kind: 'refused', why: `${relative} ${why}` };
  }
  if (!handle) return { kind: 'missing' };
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { kind: 'refused', why: `${relative} is not a regular file` };
    if (info.size > maxBytes) {
      return { kind: 'refused', why: `${relative} is larger than ${formatBytes(maxBytes)}` };
    }
    // Read to the size seen, plus one byte to notice a file still growing.
    const buffer = Buffer.alloc(info.size + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > info.size) return { kind: 'refused', why: `${relative} kept growing while it was read` };
    return { kind: 'text', text: buffer.toString('utf8', 0, filled), mtimeMs: info.mtimeMs };
  } catch {
    return { kind: 'refused', why: `${relative} could not be read` };
  } finally {
    await handle.close();
  }
}
