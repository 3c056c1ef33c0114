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
