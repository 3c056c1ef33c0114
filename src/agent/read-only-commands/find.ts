// find reads an expression, not options: starting points, then tests,
// operators and actions, each with a known number of argument words. Only
// tests and printing actions are allowed; -exec, -ok, -delete, -fprint*,
// -fls and anything unknown ask.
import type { ArgsCheck } from './args-check.js';

/** Allowed primaries and how many words each takes after it. */
const PRIMARIES = new Map<string, number>([
  ...words(`depth mount xdev noleaf ignore_readdir_race noignore_readdir_race daystart follow empty executable false
    true nogroup nouser readable writable print print0 prune quit ls warn nowarn help version`).map(
    (name) => [name, 0] as const,
  ),
  ...words(`maxdepth mindepth amin anewer atime cmin cnewer ctime fstype gid group ilname iname inum ipath iregex
    iwholename links lname mmin mtime name newer path perm regex regextype samefile size type uid used user wholename
    xtype printf`).map((name) => [name, 1] as const),
]);

const OPERATORS = new Set(['(', ')', '!', ',', '-a', '-o', '-and', '-or', '-not']);

export const find: ArgsCheck = (args) => {
  let i = 0;
  // Options before the starting points: how to treat symbolic links.
  while (i < args.length && ['-H', '-L', '-P'].includes(args[i]!)) i++;
  while (i < args.length && !args[i]!.startsWith('-') && !OPERATORS.has(args[i]!)) i++;
  for (; i < args.length; i++) {
    const word = args[i]!;
    if (OPERATORS.has(word)) continue;
    const takes = word.startsWith('-') ? primaryArity(word.slice(1)) : undefined;
    if (takes === undefined || i + takes >= args.length) return false;
    i += takes;
  }
  return true;
};

function primaryArity(name: string): number | undefined {
  // -newerXY compares a time stamp with a reference file's or a date.
  if (/^newer[aBcm][aBcmt]$/.test(name)) return 1;
  return PRIMARIES.get(name);
}

function words(list: string): string[] {
  return list.split(/\s+/).filter((word) => word !== '');
}
