// Suggests what the model may have meant when a path does not exist: names
// in the same directory that differ by a typo, by case, or by extension.
import { readdir } from 'node:fs/promises';

/** Up to `max` entry names of `dir` close to `name`, closest first; [] when the directory cannot be read. */
export async function closeNames(dir: string, name: string, max = 3): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const wanted = name.toLowerCase();
  const wantedStem = stem(wanted);
  const scored: Array<{ entry: string; score: number }> = [];
  for (const entry of entries) {
    const candidate = entry.toLowerCase();
    let score: number;
    if (candidate === wanted) score = 0;
    else if (stem(candidate) === wantedStem) score = 1;
    else {
      const distance = editDistance(candidate, wanted);
      const allowed = Math.max(1, Math.floor(Math.max(wanted.length, candidate.length) / 4));
      if (distance > allowed) continue;
      score = 1 + distance;
    }
    scored.push({ entry, score });
  }
  scored.sort((a, b) => a.score - b.score || a.entry.localeCompare(b.entry));
  return scored.slice(0, max).map(({ entry }) => entry);
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
