// Keeps the first `limit` paths of a stream in tree order while counting all
// of them, in memory that does not grow with the stream: the sources (rg,
// git, a walk) produce paths in no useful order, and a listing of 50,000
// files should cost a count, not an array of 50,000 strings.

const SLASH = 0x2f;

/**
 * Orders paths segment by segment, so a directory's files stay together (as
 * `rg --sort path` does): character by character, with "/" before any other
 * character. Called for every path a listing sees, so it allocates nothing.
 */
export function comparePaths(a: string, b: string): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x === SLASH) return -1;
      if (y === SLASH) return 1;
      return x - y;
    }
  }
  return a.length - b.length;
}

export class CappedPathList {
  private kept: string[] = [];
  /** The largest path still kept once the list is full; larger ones are only counted. */
  private worst: string | undefined;
  private count = 0;

  constructor(private readonly limit: number) {}

  add(path: string): void {
    this.count++;
    if (this.worst !== undefined && comparePaths(path, this.worst) >= 0) return;
    this.kept.push(path);
    // Sorting in batches keeps the work near n·log(limit).
    if (this.kept.length >= this.limit * 2) this.compact();
  }

  /** How many paths were added. */
  get total(): number {
    return this.count;
  }

  /** The first `limit` paths in tree order. */
  paths(): string[] {
    this.compact();
    return [...this.kept];
  }

  private compact(): void {
    this.kept.sort(comparePaths);
    if (this.kept.length >= this.limit) {
      this.kept.length = this.limit;
      this.worst = this.kept[this.limit - 1];
    }
  }
}
