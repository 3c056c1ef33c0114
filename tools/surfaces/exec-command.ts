// container.exec's argv as the one command line the shell tool runs: the script of
// `bash -lc SCRIPT` as it stands (so approvals and allow rules see the real
// command), any other argv quoted word by word.

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash']);

export function commandLine(argv: readonly string[]): string {
  const program = argv[0]?.split('/').at(-1) ?? '';
  if (SHELLS.has(program) && argv.length === 3 && /^-[a-z]*c[a-z]*$/.test(argv[1]!)) {
    return argv[2]!;
  }
  return argv.map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Whether `command` runs the project's whole test suite, `testCommand`, give or take spacing and a `cd .`. */
export function isTestCommand(command: string, testCommand: string): boolean {
  const tidy = (text: string) =>
    text
      .trim()
      .replace(/^cd\s+\.\s*&&\s*/, '')
      .replace(/\s+/g, ' ');
  return tidy(command) === tidy(testCommand);
}
