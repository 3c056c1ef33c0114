// What a workspace carries to note a change set before its first write, as a
// bare interface: the workspace guard names it without importing the journal
// itself (write-journal.ts), which imports the guard and file-changes.ts.

export interface JournalFile {
  /** Absolute path of the target. */
  path: string;
  /** The file before the set: absent (existed false) or these bytes with this mode. */
  existed: boolean;
  bytes?: Buffer;
  mode?: number;
  /** contentHash of what the set writes there, or null when the set removes it. */
  planned: string | null;
}

export interface ChangeJournal {
  /**
   * Notes a set before its first write; the returned function removes the note,
   * or with `abandon` (the set could not be rolled back) hands it to the next
   * start of any agent in the repository, as if this process had been killed.
   */
  begin(
    root: string,
    temps: string[],
    dirs: string[],
    files: JournalFile[],
  ): Promise<(outcome?: 'abandon') => Promise<void>>;
}
