// Finds how a project runs its tests, in this order: the command the user
// configured, the one the project's AGENTS.md names, then package.json
// (npm, pnpm, yarn or bun), pytest, deno, cargo, go, Maven, Gradle, and `make test`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface DetectedCommand {
  /** The command line that runs the whole suite, e.g. "npm test", "go test ./...". */
  command: string;
  /** Where it came from, for the model and the user. */
  source: string;
}

export function detectTestCommand(root: string, configured?: string): DetectedCommand | undefined {
  if (configured?.trim()) return { command: configured.trim(), source: 'the configured test command' };
  const fromAgents = agentsMdTestCommand(root);
  if (fromAgents) return { command: fromAgents, source: 'AGENTS.md' };
  const has = (name: string) => existsSync(path.join(root, name));

  const script = packageScripts(root)?.test;
  if (script && !/no test specified/.test(script)) {
    const manager = packageManager(root);
    // "bun test" is bun's own runner, whatever the script says: the script is "bun run test".
    return { command: manager === 'bun' ? 'bun run test' : `${manager} test`, source: 'package.json' };
  }
  if (
    has('pytest.ini') ||
    has('conftest.py') ||
    fileMentions(root, 'pyproject.toml', /\[tool\.pytest/) ||
    fileMentions(root, 'setup.cfg', /\[tool:pytest\]/) ||
    fileMentions(root, 'tox.ini', /\[pytest\]/) ||
    hasPythonTests(root)
  ) {
    return { command: 'python3 -m pytest', source: 'the Python test files' };
  }
  if (has('deno.json') || has('deno.jsonc')) return { command: 'deno test', source: 'deno.json' };
  if (has('Cargo.toml')) return { command: 'cargo test', source: 'Cargo.toml' };
  if (has('go.mod')) return { command: 'go test ./...', source: 'go.mod' };
  if (has('pom.xml')) return { command: `${has('mvnw') ? './mvnw' : 'mvn'} test`, source: 'pom.xml' };
  if (has('build.gradle') || has('build.gradle.kts')) {
    return { command: `${has('gradlew') ? './gradlew' : 'gradle'} test`, source: 'build.gradle' };
  }
  if (fileMentions(root, 'Makefile', /^test:/m)) return { command: 'make test', source: 'the Makefile' };
  return undefined;
}

/**
 * A command in backticks on a line of AGENTS.md that speaks of tests, e.g.
 * "- Test: `npm test`" or "Run the tests with `make check`".
 */
export function agentsMdTestCommand(root: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(root, 'AGENTS.md'), 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    if (!/\btests?\b/i.test(line)) continue;
    for (const match of line.matchAll(/`([^`\n]+)`/g)) {
      const candidate = match[1]!.trim();
      // A command starts with a program name: not a flag, not a file or directory of the project.
      const looksLikeCommand =
        /^[A-Za-z.][\w./-]*( |$)/.test(candidate) && !/\.\w+$|\/$/.test(candidate.split(' ')[0]!);
      if (looksLikeCommand && !existsSync(path.join(root, candidate))) return candidate;
    }
  }
  return undefined;
}

export function packageScripts(root: string): Record<string, string> | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: unknown };
    return pkg.scripts && typeof pkg.scripts === 'object' ? (pkg.scripts as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

export function packageManager(root: string): 'npm' | 'pnpm' | 'yarn' | 'bun' {
  if (existsSync(path.join(root, 'pnpm-lock.yaml'))) return 'pnpm';
  if (existsSync(path.join(root, 'yarn.lock'))) return 'yarn';
  if (existsSync(path.join(root, 'bun.lock')) || existsSync(path.join(root, 'bun.lockb'))) return 'bun';
  return 'npm';
}

function fileMentions(root: string, name: string, pattern: RegExp): boolean {
  try {
    return pattern.test(readFileSync(path.join(root, name), 'utf8'));
  } catch {
    return false;
  }
}

/** test_*.py or *_test.py at the top level or in tests/. */
function hasPythonTests(root: string): boolean {
  for (const dir of ['.', 'tests', 'test']) {
    try {
      if (readdirSync(path.join(root, dir)).some((name) => /^test_.*\.py$|_test\.py$/.test(name))) return true;
    } catch {
      // No such directory.
    }
  }
  return false;
}
