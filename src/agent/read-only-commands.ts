// Which command lines are read-only beyond doubt, so they may run in the
// sandbox without asking. Deliberately narrow: one program from a fixed list,
// plain words only (no redirection, pipes, command substitution, variables,
// globs or escapes, so the shell can add nothing we did not see), and none of
// the flags that make those programs write files or run other programs.

type ArgsCheck = (args: readonly string[]) => boolean;

const anyArgs: ArgsCheck = () => true;

/** Refuses the listed options, whether given alone, with "=value", or (short ones) with a value attached. */
function without(...options: string[]): ArgsCheck {
  return (args) =>
    !args.some((arg) =>
      options.some((option) =>
        option.startsWith('--') ? arg === option || arg.startsWith(`${option}=`) : arg.startsWith(option),
      ),
    );
}

/** Refuses a short flag letter anywhere in a cluster like -nf. */
function withoutShortLetters(letters: string, ...longOptions: string[]): ArgsCheck {
  const long = without(...longOptions);
  return (args) =>
    long(args) &&
    !args.some((arg) => /^-[^-]/.test(arg) && [...arg.slice(1)].some((letter) => letters.includes(letter)));
}

const GIT_READ_ONLY = new Set([
  'status',
  'diff',
  'log',
  'show',
  'blame',
  'ls-files',
  'rev-parse',
  'grep',
  'shortlog',
  'describe',
]);
/** git options that write a file or run a program (a pager, a diff driver, a text converter). */
const gitArgs = without('--output', '-O', '--open-files-in-pager', '--ext-diff', '--textconv', '--exec');

const PROGRAMS: Record<string, ArgsCheck> = {
  ls: anyArgs,
  pwd: anyArgs,
  echo: anyArgs,
  cat: anyArgs,
  head: anyArgs,
  // -f never ends: it would sit until the timeout.
  tail: withoutShortLetters('fF', '--follow', '--retry'),
  wc: anyArgs,
  nl: anyArgs,
  stat: anyArgs,
  du: anyArgs,
  basename: anyArgs,
  dirname: anyArgs,
  realpath: anyArgs,
  readlink: anyArgs,
  which: anyArgs,
  uname: anyArgs,
  cmp: anyArgs,
  diff: anyArgs,
  grep: anyArgs,
  egrep: anyArgs,
  fgrep: anyArgs,
  // --pre runs a program on every file; --hostname-bin runs one to name the host.
  rg: without('--pre', '--pre-glob', '--hostname-bin'),
  // -C compiles a magic file (writes one).
  file: withoutShortLetters('C', '--compile'),
  find: without('-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'),
  // -o writes its listing to a file; -R writes one into every directory.
  tree: withoutShortLetters('oR'),
  sort: withoutShortLetters('oT', '--output', '--temporary-directory', '--compress-program'),
};

export function isReadOnlyCommand(command: string): boolean {
  const words = plainWords(command);
  if (!words || words.length === 0) return false;
  const [program, ...args] = words as [string, ...string[]];
  if (args.some((arg) => arg === '--output' || arg.startsWith('--output='))) return false;
  if (program === 'git') {
    const [sub, ...rest] = args;
    return sub !== undefined && GIT_READ_ONLY.has(sub) && gitArgs(rest);
  }
  const check = Object.hasOwn(PROGRAMS, program) ? PROGRAMS[program] : undefined;
  return check !== undefined && check(args);
}

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
