// Recognises a test command that failed because its runner (or the
// project's dependencies) is not installed, and says what to install. The
// model cannot fix that (the sandbox has no network); the user can.
import type { RunnerName } from './report.js';

const NOT_FOUND = /(?:^|\n)(?:\S*sh)(?:: line \d+)?: (?:\d+: )?([^\s:]+): (?:command )?not found/;

const INSTALL: Partial<Record<RunnerName, string>> = {
  vitest: "the project's dependencies are not installed: run npm install (or pnpm install, yarn) in the project",
  jest: "the project's dependencies are not installed: run npm install (or pnpm install, yarn) in the project",
  node: 'Node.js is not installed: see https://nodejs.org, or sudo apt install nodejs',
  mocha: "the project's dependencies are not installed: run npm install (or pnpm install, yarn) in the project",
  bun: 'Bun is not installed: see https://bun.sh',
  deno: 'Deno is not installed: see https://deno.com',
  pytest: 'pytest is not installed: pip install pytest, or sudo apt install python3-pytest',
  cargo: 'Rust is not installed: see https://rustup.rs, or sudo apt install cargo',
  go: 'Go is not installed: sudo apt install golang-go, or see https://go.dev/dl',
  maven: 'Maven is not installed: sudo apt install maven',
  gradle: 'Gradle is not installed: sudo apt install gradle, or add the Gradle wrapper (gradlew) to the project',
};

/** What is missing and how to get it, or undefined when the failure is something else. */
export function missingRunner(runner: RunnerName, exitCode: number | null, output: string): string | undefined {
  if (/No module named pytest/.test(output)) return INSTALL.pytest;
  const notFound = NOT_FOUND.exec(output);
  if (exitCode !== 127 && !notFound) return undefined;
  const program = notFound?.[1];
  const hint = INSTALL[runner];
  if (program && hint && runner !== 'command') return `${program} was not found; ${hint}`;
  return `${program ?? 'a program the test command needs'} was not found: install it, or set the test command ("testCommand" in .gptoss-agent/config.json)`;
}
