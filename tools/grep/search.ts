// What a grep backend is asked to do, and how it ended: the shared shape of
// the ripgrep search and the git grep fallback.
import type { GrepCollector } from './match.js';
import type { AnchoredCwd } from '../workspace/anchored-cwd.js';
import type { Workspace } from '../workspace/workspace.js';

export interface GrepSearch {
  workspace: Workspace;
  /** File or directory to search, relative to the root ('.' for the root). */
  target: string;
  /** Where the backend runs and what it names: the target's directory held open, so a swapped link cannot redirect it. */
  at: AnchoredCwd;
  /** A regular expression (ripgrep: Rust syntax; git grep: POSIX extended). */
  pattern: string;
  caseInsensitive: boolean;
  context: number;
  /** A file-name glob the backend may use to skip files early (the collector still filters). */
  nameGlob?: string;
  signal: AbortSignal;
  collector: GrepCollector;
}

export type GrepOutcome =
  | { ok: true; warning?: string }
  /** `pattern`: the regular expression is invalid; `failed`: anything else. */
  | { ok: false; problem: 'pattern' | 'failed'; message: string };
