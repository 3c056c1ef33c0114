// `@path` in a prompt: the file's text (or a directory's listing) goes to the
// model with the prompt, as an attachment block after it. Paths go through the
// workspace guard like the model's reads: outside the repository (a symbolic
// link included) is refused, binary files are refused, long files are cut with
// a note. A word after @ that names nothing (an e-mail, a decorator) is left alone.
// What is read is opened without following links (tools/workspace/anchored-read.ts),
// so a directory swapped for a link after the guard's check attaches nothing from outside.
import { readdir, stat, type FileHandle } from 'node:fs/promises';
import { binaryReason } from '../../tools/files/binary-sniff.js';
import { openAnchoredDir } from '../../tools/workspace/anchored-dir.js';
import { openAnchoredFile, type ReadSeams } from '../../tools/workspace/anchored-read.js';
import type { Workspace } from '../../tools/workspace/workspace.js';

/** Characters of one file sent to the model, as read_file sends by default. */
export const ATTACHED_CHARS = 12_000;
/** Entries of one directory's listing. */
const LISTED_ENTRIES = 200;
/** Attachments per prompt. */
const MAX_ATTACHED = 10;

export interface Attached {
  /** The prompt with the attachment blocks after it. */
  prompt: string;
  /** Paths attached, directories ending in "/", cut files marked. */
  attached: string[];
  /** Mentions refused, each with the reason. */
  refused: string[];
}

/** The `@path` words of a prompt, without trailing punctuation, each once. */
export function mentionsIn(prompt: string): string[] {
  const found = new Set<string>();
  for (const match of prompt.matchAll(/(?:^|\s)@([^\s@]+)/g)) {
    const mention = match[1]!.replace(/[.,;:!?)\]}'"]+$/, '');
    if (mention !== '') found.add(mention);
  }
  return [...found];
}

export async function attachMentions(workspace: Workspace, prompt: string, seams: ReadSeams = {}): Promise<Attached> {
  const blocks: string[] = [];
  const attached: string[] = [];
  const refused: string[] = [];
  for (const mention of mentionsIn(prompt).slice(0, MAX_ATTACHED)) {
    let resolved;
    try {
      resolved = await workspace.resolveForRead(mention);
    } catch (error) {
      refused.push(`@${mention}: ${(error as Error).message}`);
      continue;
    }
    const info = await stat(resolved.absolute).catch(() => undefined);
    if (!info) continue; // not a path: an e-mail address, a decorator, a handle
    await seams.checked?.();
    const replaced = `@${mention}: it was replaced while it was being read (a symbolic link now stands on its path); nothing was attached`;
    if (info.isDirectory()) {
      const dir = await openAnchoredDir(workspace.root, resolved.relative).catch(() => undefined);
      if (!dir) {
        refused.push(replaced);
        continue;
      }
      const entries = await readdir(dir.here(), { withFileTypes: true }).finally(() => dir.close());
      const names = entries
        .filter((entry) => entry.name !== '.git')
        .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
        .sort();
      const more = names.length > LISTED_ENTRIES ? `\n[${names.length - LISTED_ENTRIES} more entries not listed]` : '';
      blocks.push(block(`${resolved.relative}/`, `${names.slice(0, LISTED_ENTRIES).join('\n')}${more}`));
      attached.push(`${resolved.relative}/`);
      continue;
    }
    if (!info.isFile()) {
      refused.push(`@${mention}: not a regular file`);
      continue;
    }
    const handle = await openAnchoredFile(workspace.root, resolved.relative).catch(() => undefined);
    if (!handle) {
      refused.push(replaced);
      continue;
    }
    const opened = await handle.stat().catch(() => undefined);
    if (!opened?.isFile()) {
      await handle.close();
      refused.push(replaced);
      continue;
    }
    const { text, binary, cut } = await readHead(handle, opened.size).finally(() => handle.close());
    if (binary) {
      refused.push(`@${mention}: a binary file (${binary}), not attached`);
      continue;
    }
    const note = cut
      ? `\n[Cut: the first ${ATTACHED_CHARS} characters of ${opened.size} bytes; read_file reads the rest.]`
      : '';
    blocks.push(block(resolved.relative, `${text}${note}`));
    attached.push(cut ? `${resolved.relative} (cut)` : resolved.relative);
  }
  return { prompt: blocks.length === 0 ? prompt : `${prompt}\n\n${blocks.join('\n\n')}`, attached, refused };
}

function block(path: string, body: string): string {
  return `<attachment path=${JSON.stringify(path)}>\n${body}\n</attachment>`;
}

/** The start of a file, read without loading a huge one whole. */
async function readHead(handle: FileHandle, size: number): Promise<{ text: string; binary?: string; cut: boolean }> {
  // UTF-8 takes at most 4 bytes a character.
  const wanted = Math.min(size, ATTACHED_CHARS * 4);
  const buffer = Buffer.alloc(wanted);
  const { bytesRead } = await handle.read(buffer, 0, wanted, 0);
  const head = buffer.subarray(0, bytesRead);
  const complete = bytesRead >= size;
  const binary = binaryReason(head, complete);
  if (binary) return { text: '', binary, cut: false };
  const text = head.toString('utf8');
  const cut = !complete || text.length > ATTACHED_CHARS;
  return { text: cut ? text.slice(0, ATTACHED_CHARS) : text, cut };
}
