// Collects grep results from either search backend (ripgrep's JSON events or
// git grep's lines): matches with their context lines, in a deterministic
// order, with the totals the cap note needs. Backends report lines as they
// come; this decides which context line belongs to which match.
import { comparePaths } from '../files/capped-path-list.js';
import { cutAround, cutLine } from '../text/cut-line.js';

export interface GrepMatch {
  /** Relative to the workspace root, forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  text: string;
  /** The context lines just before the match (the last one is line - 1), never another match. */
  before: string[];
  /** The context lines just after the match (the first one is line + 1), never another match. */
  after: string[];
}

export interface GrepCollectorOptions {
  /** Context lines wanted before and after each match. */
  context: number;
  /** Longer lines are cut: around the match, or at the end for context. */
  maxLineChars: number;
  /** Matching lines kept at most; after that the backend is told to stop. */
  storeLimit: number;
  /** Whether a file's matches count (the glob filter); all do when absent. */
  accept?(file: string): boolean;
}

export class GrepCollector {
  private readonly stored: GrepMatch[] = [];
  private readonly fileNames = new Set<string>();
  private pendingFile = '';
  private pendingAccepted = true;
  private pendingBefore: Array<{ line: number; text: string }> = [];
  private last: GrepMatch | undefined;

  constructor(private readonly options: GrepCollectorOptions) {}

  /** A matching line; `span` is the first match within it (character offsets), when known. */
  match(file: string, line: number, text: string, span?: [number, number]): 'stop' | undefined {
    if (!this.enter(file)) return undefined;
    const { context, maxLineChars } = this.options;
    const before = this.pendingBefore.filter((entry) => entry.line >= line - context).map((entry) => entry.text);
    this.pendingBefore = [];
    const shown = span ? cutAround(text, span[0], span[1], maxLineChars) : cutLine(text, maxLineChars);
    const match: GrepMatch = { file, line, text: shown, before, after: [] };
    this.stored.push(match);
    this.fileNames.add(file);
    this.last = match;
    return this.stored.length >= this.options.storeLimit ? 'stop' : undefined;
  }

  /** A context line (one near a match that does not match itself). */
  contextLine(file: string, line: number, text: string): void {
    if (!this.enter(file)) return;
    const shown = cutLine(text, this.options.maxLineChars);
    const last = this.last;
    if (last && last.file === file && line - last.line <= this.options.context) last.after.push(shown);
    this.pendingBefore.push({ line, text: shown });
    if (this.pendingBefore.length > this.options.context) this.pendingBefore.shift();
  }

  /** Every match kept, by file (tree order) then line. */
  matches(): GrepMatch[] {
    return [...this.stored].sort((a, b) => comparePaths(a.file, b.file) || a.line - b.line);
  }

  /** Matching lines seen (a lower bound when the store limit stopped the search). */
  get totalMatches(): number {
    return this.stored.length;
  }

  get totalFiles(): number {
    return this.fileNames.size;
  }

  /** Whether the store limit was reached (the search was stopped, so totals are lower bounds). */
  get full(): boolean {
    return this.stored.length >= this.options.storeLimit;
  }

  /** Starts a new file's bookkeeping when the file changes; false when the file is filtered out. */
  private enter(file: string): boolean {
    if (file !== this.pendingFile) {
      this.pendingFile = file;
      this.pendingAccepted = this.options.accept ? this.options.accept(file) : true;
      this.pendingBefore = [];
      this.last = undefined;
    }
    return this.pendingAccepted;
  }
}
