// Prompts typed in earlier sessions, for up/down in the input: one JSON
// string per line in the user's state directory, readable by the user only.
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Entries kept in memory and offered. */
const KEEP = 500;

export class PromptHistory {
  private readonly entries: string[] = [];
  /** Appends run one after another, so the file keeps the order prompts were sent in. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** Earlier sessions' prompts go before this session's; a missing or damaged file is no history. */
  async load(): Promise<void> {
    const text = await readFile(this.file, 'utf8').catch(() => '');
    const earlier: string[] = [];
    for (const line of text.split('\n')) {
      try {
        const entry: unknown = JSON.parse(line);
        if (typeof entry === 'string') earlier.push(entry);
      } catch {
        // A line cut short by a crash: skip it.
      }
    }
    this.entries.unshift(...earlier.slice(-KEEP));
    // The file only grows by appending; trim it now and then.
    if (earlier.length > KEEP * 2) {
      const kept = earlier.slice(-KEEP).map((entry) => `${JSON.stringify(entry)}\n`);
      await writeFile(this.file, kept.join(''), { mode: 0o600 }).catch(() => {});
    }
  }

  add(prompt: string): void {
    if (prompt.trim() === '' || this.entries.at(-1) === prompt) return;
    this.entries.push(prompt);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    this.writes = this.writes
      .then(() => mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 }))
      .then(() => appendFile(this.file, `${JSON.stringify(prompt)}\n`, { mode: 0o600 }))
      .catch(() => {});
  }

  /** Settles when every prompt added so far is on disk (or failed to get there). */
  flush(): Promise<void> {
    return this.writes;
  }

  list(): readonly string[] {
    return this.entries;
  }
}
