// A one-line description of a patch for the UI, from its file headers alone.
// It runs on whatever the model sent, so it never throws.

const HEADER = /^\s*\*\*\* (?:Add|Update|Delete) File:[ \t]*(\S.*?)\s*$/gm;
const SHOWN = 3;

export function describePatch(input: unknown): string {
  if (typeof input !== 'string') return 'patch';
  const paths = [...new Set([...input.matchAll(HEADER)].map((match) => match[1]!))];
  if (paths.length === 0) return 'patch';
  const more = paths.length - SHOWN;
  return `patch ${paths.slice(0, SHOWN).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
