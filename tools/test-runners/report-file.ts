// Reads a report file that a sandboxed test command wrote (or could have
// replaced): never through a symbolic link, never a FIFO or device, never
// more than a cap. The files sit in the run's scratch directory (a bind mount
// the command cannot rename or remove) or in the repository; both are read
// through a directory held open (tools/workspace/anchored-read.ts).
import { readAnchoredBytes, type AnchoredRefusal } from '../workspace/anchored-read.js';
import { formatBytes } from '../text/format-bytes.js';

/** One report at most: far above any real suite's JSON or JUnit file, far below what breaks a string. */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

export type ReportFile =
  | { kind: 'text'; text: string; mtimeMs: number }
  /** There, but not read; `why` says what it was, for the note the model gets. */
  | { kind: 'refused'; why: string }
  | { kind: 'missing' };

/** What the model is told of a report that was there but not read. */
function refusal(reason: AnchoredRefusal, maxBytes: number): string {
  switch (reason) {
    case 'link':
      return 'is a symbolic link or lies behind one';
    case 'not-a-file':
      return 'is not a regular file';
    case 'too-large':
      return `is larger than ${formatBytes(maxBytes)}`;
    case 'growing':
      return 'kept growing while it was read';
    case 'unopenable':
      return 'could not be opened';
    case 'unreadable':
      return 'could not be read';
  }
}

/** The report `relative` (forward slashes) below `dir`, read without following links. */
export async function readReportFile(
  dir: string,
  relative: string,
  maxBytes: number = MAX_REPORT_BYTES,
): Promise<ReportFile> {
  const file = await readAnchoredBytes(dir, relative, maxBytes);
  if (file.kind === 'missing') return file;
  if (file.kind === 'read') return { kind: 'text', text: file.bytes.toString('utf8'), mtimeMs: file.stats.mtimeMs };
  return { kind: 'refused', why: `${relative} ${refusal(file.reason, maxBytes)}` };
}
