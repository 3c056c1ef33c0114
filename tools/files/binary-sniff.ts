// Tells text from binary by a file's first bytes, and names the common
// binary formats, so the refusal can say what the file is.
import { formatBytes } from '../text/format-bytes.js';

/** How many leading bytes are enough to judge (as git and ripgrep do, roughly). */
export const SNIFF_BYTES = 8192;

const SIGNATURES: ReadonlyArray<{ bytes: number[]; what: string }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive, or a format built on one (jar, docx, xlsx)' },
  { bytes: [0x1f, 0x8b], what: 'gzip-compressed data' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF executable or library' },
  { bytes: [0x00, 0x61, 0x73, 0x6d], what: 'a WebAssembly module' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], what: 'an SQLite database' },
  { bytes: [0x47, 0x47, 0x55, 0x46], what: 'a GGUF model file' },
  { bytes: [0xff, 0xfe], what: 'UTF-16LE text' },
  { bytes: [0xfe, 0xff], what: 'UTF-16BE text' },
];

/**
 * What shows that `head` (a file's first bytes) is not UTF-8 text ("a PNG
 * image", "a NUL byte in the first 8.0 KB"), or undefined when it is text.
 * `complete` says whether `head` is the whole file: a multi-byte character
 * cut off at the end of a partial head is not an error.
 */
export function binaryReason(head: Uint8Array, complete: boolean): string | undefined {
  const known = SIGNATURES.find(({ bytes }) => bytes.every((byte, i) => head[i] === byte));
  if (known) return known.what;
  const where = complete ? '' : ` in the first ${formatBytes(head.length)}`;
  if (head.includes(0)) return `a NUL byte${where}`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
  } catch {
    return `invalid UTF-8${where}`;
  }
  return undefined;
}
