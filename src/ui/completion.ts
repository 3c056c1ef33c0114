// What the input offers while a slash command is typed: the commands that
// start with what was typed, then the values its argument may take.
import type { SlashCommandInfo } from './session.js';

export interface Suggestion {
  /** The whole input after choosing this suggestion. */
  value: string;
  label: string;
  summary?: string;
}

export function suggest(input: string, commands: readonly SlashCommandInfo[]): Suggestion[] {
  if (!input.startsWith('/') || input.includes('\n')) return [];
  const space = input.indexOf(' ');
  if (space === -1) {
    const typed = input.slice(1).toLowerCase();
    return commands
      .filter((command) => command.name.startsWith(typed))
      .map((command) => ({
        value: `/${command.name}${command.args ? ' ' : ''}`,
        label: `/${command.name}`,
        summary: command.summary,
      }));
  }
  const name = input.slice(1, space);
  const typed = input.slice(space + 1);
  const command = commands.find((candidate) => candidate.name === name);
  if (!command?.args || typed.includes(' ')) return [];
  return command.args
    .filter((value) => value.startsWith(typed) && value !== typed)
    .map((value) => ({ value: `/${name} ${value}`, label: value }));
}

/** Files offered at once for an @mention. */
export const MENTION_ROWS = 8;

/** The @mention being typed at the end of the input: where its @ is and what follows it. */
export function mentionAt(input: string): { at: number; typed: string } | undefined {
  const match = /(?:^|\s)@([^\s@]*)$/.exec(input);
  if (!match) return undefined;
  return { at: input.length - match[1]!.length - 1, typed: match[1]! };
}

/** Repository files for the @mention being typed, best fuzzy matches first. */
export function suggestFiles(input: string, files: readonly string[]): Suggestion[] {
  const mention = mentionAt(input);
  if (!mention) return [];
  const before = input.slice(0, mention.at);
  return rankPaths(mention.typed, files)
    .slice(0, MENTION_ROWS)
    .map((file) => ({ value: `${before}@${file} `, label: `@${file}` }));
}

/**
 * Fuzzy order: the typed letters must appear in order; a match inside the file
 * name beats one spread over the path, a contiguous one beats a scattered one,
 * and a shorter path wins a tie.
 */
export function rankPaths(typed: string, files: readonly string[]): string[] {
  const query = typed.toLowerCase();
  const scored: { file: string; score: number }[] = [];
  for (const file of files) {
    const lower = file.toLowerCase();
    const name = lower.slice(lower.lastIndexOf('/') + 1);
    let score: number;
    if (query === '') score = 0;
    else if (name.startsWith(query)) score = 4;
    else if (name.includes(query)) score = 3;
    else if (lower.includes(query)) score = 2;
    else if (isSubsequence(query, lower)) score = 1;
    else continue;
    scored.push({ file, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.file.length - b.file.length || a.file.localeCompare(b.file))
    .map(({ file }) => file);
}

function isSubsequence(query: string, text: string): boolean {
  let at = 0;
  for (const char of query) {
    at = text.indexOf(char, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}
