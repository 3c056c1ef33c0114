// The commands that may run in the sandbox without asking: read-only beyond
// doubt, or they ask like any other.
import { describe, expect, it } from 'vitest';
import { isReadOnlyCommand, plainWords } from '../../src/agent/read-only-commands.js';

describe('read-only commands', () => {
  it.each([
    'ls',
    'ls -la src',
    'cat package.json',
    'head -n 20 src/a.ts',
    'tail -n 50 build.log',
    'wc -l src/a.ts src/b.ts',
    'grep -rn "TODO" src',
    "rg -n 'fn main' --type rust",
    'find src -name "*.ts" -type f',
    'git status',
    'git diff --cached',
    'git log --oneline -n 5',
    'git show HEAD:src/a.ts',
    'sort -u names.txt',
    'pwd',
    'tree -L 2',
  ])('"%s" runs without asking', (command) => {
    expect(isReadOnlyCommand(command)).toBe(true);
  });

  it.each([
    ['a program that is not on the list', 'rm -rf build'],
    ['a path instead of a program name', './ls'],
    ['an environment assignment', 'PAGER=evil git log'],
    ['a redirection', 'cat a.ts > b.ts'],
    ['an input redirection', 'cat < /etc/passwd'],
    ['a pipe', 'cat a.ts | sh'],
    ['a second command', 'ls; rm -rf ~'],
    ['a background job', 'ls & rm a'],
    ['command substitution', 'cat $(which evil)'],
    ['backticks', 'echo `rm -rf x`'],
    ['a variable', 'cat $HOME/.ssh/id_rsa'],
    ['a variable in double quotes', 'echo "$SECRET"'],
    ['a glob (could expand into a flag)', 'sort *'],
    ['brace expansion', 'sort {-o,x}'],
    ['a tilde', 'cat ~/.ssh/id_rsa'],
    ['an escape', 'ls \\; rm x'],
    ['a newline', 'ls\nrm -rf x'],
    ['an unclosed quote', "grep 'x"],
    ['find -exec', 'find . -exec rm {} +'],
    ['find -delete', 'find . -name "*.o" -delete'],
    ['find -fprint', 'find . -fprint out.txt'],
    ['sort -o', 'sort -o out.txt in.txt'],
    ['sort -o in a cluster', 'sort -uo out.txt in.txt'],
    ['sort --output=', 'sort --output=out.txt in.txt'],
    ['tail -f (never ends)', 'tail -f log.txt'],
    ['tail -nf cluster', 'tail -nf 5 log.txt'],
    ['rg --pre (runs a program)', 'rg --pre ./evil pattern'],
    ['file -C (writes a magic file)', 'file -C -m magic'],
    ['tree -o (writes a file)', 'tree -o out.txt'],
    ['tree -R (writes a file into every directory)', 'tree -R -H .'],
    ['rg --hostname-bin (runs a program)', 'rg --hostname-bin=./evil x'],
    ['git without a subcommand', 'git'],
    ['a git subcommand that writes', 'git commit -m x'],
    ['git global options', 'git -c core.pager=evil log'],
    ['git diff --output', 'git diff --output=patch.txt'],
    ['git diff --ext-diff', 'git diff --ext-diff'],
    ['git grep -O (opens a pager)', 'git grep -Oevil x'],
    ['an empty command', ''],
  ])('%s asks: %j', (_why, command) => {
    expect(isReadOnlyCommand(command)).toBe(false);
  });

  it('splits words the way the shell would for plain commands', () => {
    expect(plainWords(`grep -n "a b" 'c  d'e f`)).toEqual(['grep', '-n', 'a b', 'c  de', 'f']);
    expect(plainWords('grep "$x"')).toBeUndefined();
  });
});
