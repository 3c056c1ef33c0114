// Suggests what the model may have meant when a path does not exist: names
// in the same directory that differ by a typo, by case, or by extension.
import { readdir } from 'node:fs/promises';
import { openAnchoredDir } from '../workspace/anchored-dir.js';

/**
 * Up to `max` entry names of the directory `relativeDir` below `root` close to `name`, closest first; [] when it
 * cannot be read. It is opened without following links, so a directory swapped for a link never lists names
 * from outside the repository.
 */
export async function closeNames(root: string, relativeDir: string, name: string, max = 3): Promise<string[]> {
  let entries: string[];
  try {
    const dir = await openAnchoredDir(root, relativeDir);
    try {
      entries = await readdir(dir.here());
    } finally {
      await dir.close();
    }
  } catch {
    return [];
  }
  const scored: Array<{ entry: string; score: number }> = [];
  for (const entry of entries) {
    const score = nameDistance(entry, name);
    if (score !== undefined) scored.push({ entry, score });
  }
  scored.sort((a, b) => a.score - b.score || a.entry.localeCompare(b.entry));
  return scored.slice(0, max).map(({ entry }) => entry);
}

/**
 * How far `candidate` is from the wanted `name`: 0 the same but for case, 1 the same but for the
 * extension, more for a typo; undefined when too far to be what was meant.
 */
export function nameDistance(candidate: string, name: string): number | undefined {
  const have = candidate.toLowerCase();
  const wanted = name.toLowerCase();
  if (have === wanted) return 0;
  if (stem(have) === stem(wanted)) return 1;
  const distance = editDistance(have, wanted);
  const allowed = Math.max(1, Math.floor(Math.max(wanted.length, have.length) / 4));
  return distance > allowed ? undefined : 1 + distance;
}

/** The name without its last extension ("index.test.ts" → "index.test"). */
function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Edit distance counting a swap of two neighbouring letters as one edit (a common typo). */
function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
