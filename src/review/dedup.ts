// Merges findings that say the same thing about the same place (a model
// repeats itself, and batches can overlap through context findings): same
// file, overlapping or adjacent lines, and a title with mostly the same
// words (or exactly the same lines and category). The merged finding keeps the higher severity,
// the span of both, and the fuller explanation.
import { severityRank, type Finding } from './findings.js';

const ADJACENT_LINES = 2;
const SIMILAR_TITLES = 0.5;

export function mergeDuplicates(findings: readonly Finding[]): Finding[] {
  const merged: Finding[] = [];
  for (const finding of findings) {
    const index = merged.findIndex((kept) => sameProblem(kept, finding));
    if (index === -1) merged.push({ ...finding });
    else merged[index] = combine(merged[index]!, finding);
  }
  return merged.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || a.file.localeCompare(b.file) || a.line - b.line,
  );
}

function sameProblem(a: Finding, b: Finding): boolean {
  if (a.file !== b.file) return false;
  const close = a.line <= b.endLine + ADJACENT_LINES && b.line <= a.endLine + ADJACENT_LINES;
  const samePlace = a.line === b.line && a.endLine === b.endLine && a.category === b.category;
  return close && (samePlace || titleSimilarity(a.title, b.title) >= SIMILAR_TITLES);
}

function combine(a: Finding, b: Finding): Finding {
  const [first, second] = severityRank(b.severity) > severityRank(a.severity) ? [b, a] : [a, b];
  const suggestion = first.suggestion ?? second.suggestion;
  return {
    ...first,
    line: Math.min(a.line, b.line),
    endLine: Math.max(a.endLine, b.endLine),
    explanation: second.explanation.length > first.explanation.length ? second.explanation : first.explanation,
    ...(suggestion ? { suggestion } : {}),
    location: a.location === 'changed' || b.location === 'changed' ? 'changed' : 'context',
  };
}

/** Shared words over all words (Jaccard), ignoring case and short words. */
export function titleSimilarity(a: string, b: string): number {
  const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9_]{3,}/g) ?? []);
  const left = words(a);
  const right = words(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / (left.size + right.size - shared);
}
