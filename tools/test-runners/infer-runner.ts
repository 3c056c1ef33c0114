// Which runner a test command starts, and how arguments reach it: directly
// ("cargo test X"), or through a package script ("npm test -- X", which only
// works when the runner is the script's last command). A command this does
// not understand is run as it is, judged by its exit code.
import { packageScripts } from './detect.js';
import type { RunnerName } from './report.js';

export interface InferredRunner {
  runner: RunnerName;
  /** The command with extra arguments added where the runner receives them. */
  withArgs(args: readonly string[]): string;
  /** The runner's own words, launchers left out: "node --test test/" (for options that must come first). */
  words?: string[];
}

const SHELL_OPERATORS = /&&|\|\||[;|<>`$()]/;

export async function inferRunner(command: string, root: string): Promise<InferredRunner> {
  const trimmed = command.trim();
  const asIs: InferredRunner = { runner: 'command', withArgs: () => trimmed };
  if (SHELL_OPERATORS.test(trimmed)) return asIs;
  const append = (args: readonly string[]) => [trimmed, ...args.map(shellQuote)].join(' ');
  const words = withoutEnvAssignments(trimmed.split(/\s+/));
  const [first = '', second = '', third = ''] = words;

  // "bun test" is bun's own runner; only "bun run test" runs the script.
  if (
    ['npm', 'pnpm', 'yarn', 'bun'].includes(first) &&
    ((isTestScript(second) && first !== 'bun') || (second === 'run' && isTestScript(third)))
  ) {
    const scriptWords = lastCommandWords((await packageScripts(root))?.test);
    const runner = scriptWords && directRunner(scriptWords);
    if (!runner || !SCRIPT_RUNNERS.has(runner)) return asIs;
    // npm needs "--" before arguments meant for the script; pnpm, yarn and bun pass them on as they are.
    const separator = first === 'npm' && !words.includes('--') ? ['--'] : [];
    return {
      runner,
      withArgs: (args) => (args.length ? [trimmed, ...separator, ...args.map(shellQuote)].join(' ') : trimmed),
      words: stripLaunchers(scriptWords),
    };
  }
  const runner = directRunner(words);
  if (!runner) return asIs;
  if (runner === 'node') return { runner, withArgs: append, words: stripLaunchers(words) };
  if (runner === 'cargo') {
    // Test names and cargo's own options go before "--"; what follows it belongs to the test binary.
    const split = trimmed.indexOf(' -- ');
    return {
      runner,
      withArgs: (args) =>
        split === -1
          ? append(args)
          : [trimmed.slice(0, split), ...args.map(shellQuote)].join(' ') + trimmed.slice(split),
    };
  }
  return { runner, withArgs: append };
}

function isTestScript(word: string): boolean {
  return word === 'test' || word === 't';
}

/** Runners a package script may end with, taking the arguments npm passes on. */
const SCRIPT_RUNNERS: ReadonlySet<RunnerName> = new Set(['vitest', 'jest', 'node', 'mocha', 'bun', 'deno']);

/** The runner a package.json test script ends with: "vitest run", "tsc && jest --coverage", "node --test". */
export function scriptRunner(script: string | undefined): RunnerName | undefined {
  const words = lastCommandWords(script);
  const runner = words && directRunner(words);
  return runner && SCRIPT_RUNNERS.has(runner) ? runner : undefined;
}

/** The words of a script's last command, or undefined when it is a pipe or anything else not simple. */
function lastCommandWords(script: string | undefined): string[] | undefined {
  if (!script) return undefined;
  const segments = script.split(/&&|;/);
  const last = segments[segments.length - 1]!.trim();
  if (/[|<>`$()]/.test(last)) return undefined;
  return withoutEnvAssignments(last.split(/\s+/));
}

function directRunner(words: readonly string[]): RunnerName | undefined {
  const [program = '', ...rest] = stripLaunchers(words);
  const name = program.split('/').at(-1)!;
  if (name === 'vitest' || name === 'jest') return name;
  if (/^node(js)?$/.test(name) && rest.includes('--test')) return 'node';
  if (name === 'mocha' || name === '_mocha') return 'mocha';
  if ((name === 'bun' || name === 'deno') && rest[0] === 'test') return name;
  if (name === 'pytest' || name === 'py.test') return 'pytest';
  if (/^python3?(\.\d+)?$/.test(name) && rest[0] === '-m' && rest[1] === 'pytest') return 'pytest';
  if (name === 'cargo' && rest[0] === 'test') return 'cargo';
  if (name === 'go' && rest[0] === 'test') return 'go';
  if ((name === 'mvn' || name === 'mvnw') && rest.some((word) => word === 'test' || word === 'verify')) return 'maven';
  if ((name === 'gradle' || name === 'gradlew') && rest.includes('test')) return 'gradle';
  return undefined;
}

/** "npx vitest", "pnpm exec jest", "yarn jest", "cross-env CI=1 jest" → the runner's own words. */
function stripLaunchers(words: readonly string[]): string[] {
  let rest = [...words];
  for (;;) {
    const [first, second] = rest;
    if (first === 'npx' || first === 'yarn' || first === 'bunx' || first === 'cross-env') rest = rest.slice(1);
    else if ((first === 'pnpm' || first === 'npm') && second === 'exec') rest = rest.slice(2);
    else return withoutEnvAssignments(rest);
  }
}

function withoutEnvAssignments(words: readonly string[]): string[] {
  const index = words.findIndex((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
  return index === -1 ? [] : words.slice(index);
}

/** One argument as the shell reads it back unchanged. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_\-./=:,@%+]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
