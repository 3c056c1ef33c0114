// Where sessions live: one directory per repository under the user's state
// directory, one directory per session in it (the JSONL log, the blobs for
// undo, a lock). Finding and listing sessions reads only the top of each log.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SessionHeader, SessionRecord } from './session-records.js';
import { isSubstantive } from './session-substance.js';

/** The first bytes of a log hold its header and, in practice, the first prompt. */
const HEAD_BYTES = 64 * 1024;
const TITLE_CHARS = 80;

/** A session that cannot be found or opened; the message says what to do. */
export class SessionError extends Error {
  override name = 'SessionError';
}

export interface SessionInfo {
  id: string;
  /** The session's log file. */
  file: string;
  root: string;
  /** ISO times: when it started, when it last wrote anything. */
  createdAt: string;
  updatedAt: string;
  /** The first prompt, on one line, shortened. */
  title: string;
  /** The model it ran on, as the user would recognise it. */
  model: string;
}

export function repositorySessionsDir(stateDir: string, root: string): string {
  const name = path.basename(root).replace(/[^A-Za-z0-9._-]/g, '_') || 'root';
  const hash = createHash('sha256').update(root).digest('hex').slice(0, 12);
  return path.join(stateDir, 'sessions', `${name}-${hash}`);
}

export function sessionPaths(stateDir: string, root: string, id: string) {
  const dir = path.join(repositorySessionsDir(stateDir, root), id);
  return { dir, log: path.join(dir, 'log.jsonl'), blobs: path.join(dir, 'blobs'), lock: path.join(dir, 'lock') };
}

/** Sortable by time and short enough to type: 20250102-030405-a1b2. */
export function newSessionId(now: Date, random: () => string = () => randomBytes(2).toString('hex')): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${random()}`;
}

/** The sessions of a repository worth resuming (the model answered or changed something), the most recently active first. */
export async function listSessions(root: string, stateDir: string): Promise<SessionInfo[]> {
  return (await readSessions(root, stateDir)).filter((s) => s.substantive).map(withoutFlag);
}

type ReadSession = SessionInfo & { substantive: boolean };

/** Every session of the repository, empty ones too, the most recently active first. */
async function readSessions(root: string, stateDir: string): Promise<ReadSession[]> {
  const dir = repositorySessionsDir(stateDir, root);
  let ids: string[];
  try {
    ids = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const sessions: ReadSession[] = [];
  for (const id of ids) {
    const { log } = sessionPaths(stateDir, root, id);
    const info = await describeLog(log).catch(() => undefined);
    // The id names the directory that resuming and undo open: a header claiming another is not trusted.
    if (info && info.root === root && info.id === id) sessions.push(info);
  }
  return sessions.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id));
}

/**
 * The session `wanted` names in this repository ("last", an id, or a unique start of one). Only a whole
 * id reaches a session the model never answered: "last" and short ids pick among the ones worth resuming.
 */
export async function findSession(root: string, stateDir: string, wanted: string): Promise<SessionInfo> {
  const all = await readSessions(root, stateDir);
  const named = all.find((s) => s.id === wanted);
  if (named) return withoutFlag(named);
  const sessions = all.filter((s) => s.substantive).map(withoutFlag);
  if (sessions.length === 0) {
    throw new SessionError(`There is no saved session for ${root} yet (sessions are kept per repository).`);
  }
  if (wanted === 'last') return sessions[0]!;
  const matches = sessions.filter((s) => s.id.startsWith(wanted));
  if (matches.length === 1) return matches[0]!;
  const listing = sessions
    .slice(0, 5)
    .map((s) => `  ${s.id}  ${s.title}`)
    .join('\n');
  throw new SessionError(
    matches.length > 1
      ? `"${wanted}" matches ${matches.length} sessions; give more of the id. The latest:\n${listing}`
      : `No session "${wanted}" in ${root}. The latest (all: gptoss-agent sessions):\n${listing}`,
  );
}

function withoutFlag({ substantive: _, ...info }: ReadSession): SessionInfo {
  return info;
}

async function describeLog(file: string): Promise<ReadSession | undefined> {
  const { text: head, whole } = readHead(file);
  const lines = head.split('\n');
  const header = JSON.parse(lines[0] ?? '') as SessionHeader;
  if (header.type !== 'session') return undefined;
  let title: string | undefined;
  // A log longer than its head is not read through: it is kept, as it surely holds more than a failed start.
  let substantive = !whole;
  for (const line of lines.slice(1)) {
    let record: SessionRecord;
    try {
      record = JSON.parse(line) as SessionRecord;
    } catch {
      continue; // a torn or damaged line; the head may also end mid-line
    }
    if (isSubstantive(record)) substantive = true;
    if (title === undefined && record.type === 'event' && record.event.type === 'turn.started') {
      // A flow's turn (/fix) is named by what it is for, not by the long prompt it wrote.
      title = oneLine(record.event.title ?? record.event.prompt ?? '');
    }
    if (substantive && title !== undefined) break;
  }
  const stats = await stat(file);
  return {
    id: header.id,
    file,
    root: header.root,
    createdAt: header.createdAt,
    updatedAt: stats.mtime.toISOString(),
    title: title ?? '',
    model: header.model.model,
    substantive,
  };
}

/** The log's first bytes, and whether they are the whole log. */
function readHead(file: string): { text: string; whole: boolean } {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES + 1);
    const read = readSync(fd, buffer, 0, HEAD_BYTES + 1, 0);
    return { text: buffer.subarray(0, Math.min(read, HEAD_BYTES)).toString('utf8'), whole: read <= HEAD_BYTES };
  } finally {
    closeSync(fd);
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > TITLE_CHARS ? `${flat.slice(0, TITLE_CHARS - 1)}…` : flat;
}
