// Runs of blank lines folded to one, before patterns that say "a blank line"
// with \s (which matches newlines too): over a long run, written by code we do
// not control (a failing test's message), such patterns backtrack for minutes.
// Only whole blank lines go: the indentation of the line after them stays.

export function foldBlankLines(text: string): string {
  return text.replace(/\n(?:[^\S\n]*\n)+/g, '\n\n');
}
