// Splits a command line into words only when the shell could add nothing we
// did not see: no redirection, pipes, command substitution, variables, globs
// or escapes.

/** Characters allowed outside quotes: nothing the shell would expand or treat as an operator. */
const PLAIN = /[A-Za-z0-9_\-./,:=+@%^]/;

/**
 * The words of a command line that uses nothing but plain characters and
 * quotes; undefined as soon as anything else appears.
 */
export function plainWords(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (char === ' ' || char === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
      continue;
    }
    if (char === "'" || char === '"') {
      const end = command.indexOf(char, i + 1);
      if (end === -1) return undefined;
      const quoted = command.slice(i + 1, end);
      // Inside double quotes the shell still expands $, ` and \; no newlines anywhere.
      if (quoted.includes('\n') || (char === '"' && /[$`\\!]/.test(quoted))) return undefined;
      word = (word ?? '') + quoted;
      i = end;
      continue;
    }
    if (!PLAIN.test(char)) return undefined;
    word = (word ?? '') + char;
  }
  if (word !== undefined) words.push(word);
  return words;
}
