// An append-only JSON Lines file. Each record is one write of one whole line,
// so a process killed at any moment (kill -9) leaves every line before the
// last one complete; the reader skips a torn last line, and reopening for
// append cuts it off first so the next record starts on a line of its own.
// Records that matter for recovery are fsync'd (`durable`), the rest are left
// to the kernel, which keeps them through a killed process anyway.
import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface ReadLog {
  records: unknown[];
  /** Lines that were not valid JSON (a torn last line, or damage by hand). */
  skipped: number;
}

export function readLog(file: string): ReadLog {
  const text = readFileSync(file, 'utf8');
  const records: unknown[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

export class LogWriter {
  private fd: number | undefined;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /** Opens `file` for appending, creating it (and its directory) when missing. */
  static open(file: string): LogWriter {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    cutTornTail(file);
    return new LogWriter(openSync(file, 'a', 0o600));
  }

  append(record: unknown, durable = false): void {
    if (this.fd === undefined) return;
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    let written = 0;
    while (written < line.length) written += writeSync(this.fd, line, written);
    if (durable) fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Drops an unterminated last line, the trace of a write cut short. */
function cutTornTail(file: string): void {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
  truncateSync(file, bytes.lastIndexOf(0x0a) + 1);
}
