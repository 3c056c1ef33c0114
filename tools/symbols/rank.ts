// The order the symbols tool shows results in: exact names first, then
// what is near the files the model has been working on (read, searched or
// changed in this session, most recent first), then tree order.
import path from 'node:path';
import { comparePaths } from '../files/capped-path-list.js';
import type { NameMatch } from './index-query.js';

const MATCH_ORDER: Record<NameMatch, number> = { exact: 0, case: 1, partial: 2 };

/**
 * How close `file` is to the recent paths: the position of a recent path
 * that is the file itself (or a directory holding it) first, then of one in
 * the same directory; Infinity when none is near.
 */
export function proximity(file: string, recent: readonly string[]): number {
  const index = recent.findIndex((entry) => file === entry || file.startsWith(`${entry}/`));
  if (index !== -1) return index;
  const dir = path.posix.dirname(file);
  const sibling = recent.findIndex((entry) => path.posix.dirname(entry) === dir);
  return sibling === -1 ? Number.POSITIVE_INFINITY : recent.length + sibling;
}

export function rankByMatchAndPlace<T extends { file: string; line: number; match?: NameMatch }>(
  items: readonly T[],
  recent: readonly string[],
): T[] {
  const near = new Map<string, number>();
  const closeness = (file: string): number => {
    let value = near.get(file);
    if (value === undefined) {
      value = proximity(file, recent);
      near.set(file, value);
    }
    return value;
  };
  return [...items].sort(
    (a, b) =>
      MATCH_ORDER[a.match ?? 'exact'] - MATCH_ORDER[b.match ?? 'exact'] ||
      closeness(a.file) - closeness(b.file) ||
      comparePaths(a.file, b.file) ||
      a.line - b.line,
  );
}
