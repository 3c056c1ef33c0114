// Reads a command line the way getopt_long (and git's parse-options) does,
// against a program's option table: options anywhere before "--", clustered
// short letters (-nA3), attached (-n5) or separate (-n 5) arguments,
// --name=value, and unambiguous prefixes of long options. Anything the table
// does not allow makes the whole command ask.
import type { OptionTable } from './option-table.js';

/** The operands (files, revisions, patterns), or undefined when an option is not allowed. */
export function parseOptions(args: readonly string[], table: OptionTable): string[] | undefined {
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...operands, ...args.slice(i + 1)];
    if (arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = resolveLong(equals === -1 ? arg.slice(2) : arg.slice(2, equals), table);
      if (name === undefined) return undefined;
      const kind = table.long.get(name);
      let value: string | undefined;
      if (equals !== -1) {
        if (kind === 'none') return undefined;
        value = arg.slice(equals + 1);
      } else if (kind === 'required') {
        value = separateArgument(args[++i]);
        if (value === undefined) return undefined;
      }
      if (value !== undefined && table.checkValue && !table.checkValue(name, value)) return undefined;
      continue;
    }
    if (table.numberOption && /^-\d+$/.test(arg)) continue;
    if (!readShortCluster(arg, table, () => separateArgument(args[++i]))) return undefined;
  }
  return operands;
}

/** The allowed long option a written name stands for: itself, or the one option it abbreviates. */
function resolveLong(written: string, table: OptionTable): string | undefined {
  if (table.long.has(written)) return written;
  if (written === '' || !table.abbreviations || table.spellings.includes(written)) return undefined;
  const candidates = table.spellings.filter((spelling) => spelling.startsWith(written));
  return candidates.length === 1 && table.long.has(candidates[0]!) ? candidates[0] : undefined;
}

/** Each letter of -abc; an argument-taking letter ends the cluster and takes its rest or the next word. */
function readShortCluster(arg: string, table: OptionTable, nextWord: () => string | undefined): boolean {
  for (let j = 1; j < arg.length; j++) {
    const letter = arg[j]!;
    if (table.flags.includes(letter)) continue;
    const rest = arg.slice(j + 1);
    const optional = table.withOptionalArgument.includes(letter);
    if (!optional && !table.withArgument.includes(letter)) return false;
    if (rest !== '' && !table.attachedArguments) return false;
    const value = rest !== '' || optional ? rest : nextWord();
    if (value === undefined) return false;
    return value === '' || !table.checkValue || table.checkValue(letter, value);
  }
  return true;
}

/**
 * An option's argument given as the next word. One that looks like an option asks: should a table
 * wrongly say an option takes an argument, the word it swallowed could be an option the program runs.
 */
function separateArgument(word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  return word.startsWith('-') && !/^-\d+$/.test(word) ? undefined : word;
}
