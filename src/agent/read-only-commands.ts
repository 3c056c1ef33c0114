// Which command lines are read-only beyond doubt, so they may run in the
// sandbox without asking. Deliberately narrow: one program from a fixed list,
// plain words only (see plain-words.ts), and only the options each program's
// table allows, read the way the program itself reads them (abbreviations,
// clusters, attached arguments, options after operands).
import type { ArgsCheck } from './read-only-commands/args-check.js';
import { COREUTILS } from './read-only-commands/coreutils.js';
import { FILE_TOOLS } from './read-only-commands/file-tools.js';
import { find } from './read-only-commands/find.js';
import { git } from './read-only-commands/git.js';
import { plainWords } from './read-only-commands/plain-words.js';
import { SEARCH } from './read-only-commands/search.js';

export { plainWords };

const PROGRAMS: Record<string, ArgsCheck> = { ...COREUTILS, ...SEARCH, ...FILE_TOOLS, find, git };

export function isReadOnlyCommand(command: string): boolean {
  const words = plainWords(command);
  if (!words || words.length === 0) return false;
  const [program, ...args] = words as [string, ...string[]];
  const check = Object.hasOwn(PROGRAMS, program) ? PROGRAMS[program] : undefined;
  return check !== undefined && check(args);
}
