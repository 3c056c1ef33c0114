// Finds how a project runs its tests, in this order: the command the user
// configured, the one the project's AGENTS.md names, then package.json
// (npm, pnpm, yarn or bun), pytest, deno, cargo, go, Maven, Gradle, and `make test`.
//
// Every file is read as read_file reads (tools/workspace/anchored-read.ts): a
// link out of the repository, a FIFO or a device gives nothing, so a project
// file a sandboxed command replaced can neither show the host's files nor hang the agent.
import { readdir } from 'node:fs/promises';
import { openAnchoredDir } from '../workspace/anchored-dir.js';
import { readAnchoredText } from '../workspace/anchored-read.js';
import { AnchoredTree } from '../workspace/anchored-tree.js';

/** A project file larger than this is not one we read for a test command. */
const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

export interface DetectedCommand {
  /** The command line that runs the whole suite, e.g. "npm test", "go test ./...". */
  command: string;
  /** Where it came from, for the model and the user. */
  source: string;
}

export async function detectTestCommand(root: string, configured?: string): Promise<DetectedCommand | undefined> {
  if (configured?.trim()) return { command: configured.trim(), source: 'the configured test command' };
  const tree = new AnchoredTree(root);
  try {
    return await detectIn(root, tree);
  } finally {
    await tree.close();
  }
}

async function detectIn(root: string, tree: AnchoredTree): Promise<DetectedCommand | undefined> {
  const fromAgents = await agentsMdTestCommand(root, tree);
  if (fromAgents) return { command: fromAgents, source: 'AGENTS.md' };
  // Names only: a link counts as there (what it points at is never read here).
  const has = (name: string) => tree.exists(name);

  const script = (await packageScripts(root))?.test;
  if (script && !/no test specified/.test(script)) {
    const manager = await packageManager(tree);
    // "bun test" is bun's own runner, whatever the script says: the script is "bun run test".
    return { command: manager === 'bun' ? 'bun run test' : `${manager} test`, source: 'package.json' };
  }
  if (
    (await has('pytest.ini')) ||
    (await has('conftest.py')) ||
    (await fileMentions(root, 'pyproject.toml', /\[tool\.pytest/)) ||
    (await fileMentions(root, 'setup.cfg', /\[tool:pytest\]/)) ||
    (await fileMentions(root, 'tox.ini', /\[pytest\]/)) ||
    (await hasPythonTests(root))
  ) {
    return { command: 'python3 -m pytest', source: 'the Python test files' };
  }
  if ((await has('deno.json')) || (await has('deno.jsonc'))) return { command: 'deno test', source: 'deno.json' };
  if (await has('Cargo.toml')) return { command: 'cargo test', source: 'Cargo.toml' };
  if (await has('go.mod')) return { command: 'go test ./...', source: 'go.mod' };
  if (await has('pom.xml')) return { command: `${(await has('mvnw')) ? './mvnw' : 'mvn'} test`, source: 'pom.xml' };
  if ((await has('build.gradle')) || (await has('build.gradle.kts'))) {
    return { command: `${(await has('gradlew')) ? './gradlew' : 'gradle'} test`, source: 'build.gradle' };
  }
  if (await fileMentions(root, 'Makefile', /^test:/m)) return { command: 'make test', source: 'the Makefile' };
  return undefined;
}

/**
 * A command in backticks on a line of AGENTS.md that speaks of tests, e.g.
 * "- Test: `npm test`" or "Run the tests with `make check`".
 */
export async function agentsMdTestCommand(root: string, tree: AnchoredTree): Promise<string | undefined> {
  const text = await readAnchoredText(root, 'AGENTS.md', MAX_PROJECT_FILE_BYTES);
  if (text === undefined) return undefined;
  for (const line of text.split('\n')) {
    if (!/\btests?\b/i.test(line)) continue;
    for (const match of line.matchAll(/`([^`\n]+)`/g)) {
      const candidate = match[1]!.trim();
      // A command starts with a program name: not a flag, not a file or directory of the project.
      const looksLikeCommand =
        /^[A-Za-z.][\w./-]*( |$)/.test(candidate) && !/\.\w+$|\/$/.test(candidate.split(' ')[0]!);
      if (looksLikeCommand && !(await tree.exists(candidate))) return candidate;
    }
  }
  return undefined;
}

export async function packageScripts(root: string): Promise<Record<string, string> | undefined> {
  const text = await readAnchoredText(root, 'package.json', MAX_PROJECT_FILE_BYTES);
  if (text === undefined) return undefined;
  try {
    const pkg = JSON.parse(text) as { scripts?: unknown };
    return pkg.scripts && typeof pkg.scripts === 'object' ? (pkg.scripts as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

async function packageManager(tree: AnchoredTree): Promise<'npm' | 'pnpm' | 'yarn' | 'bun'> {
  if (await tree.exists('pnpm-lock.yaml')) return 'pnpm';
  if (await tree.exists('yarn.lock')) return 'yarn';
  if ((await tree.exists('bun.lock')) || (await tree.exists('bun.lockb'))) return 'bun';
  return 'npm';
}

async function fileMentions(root: string, name: string, pattern: RegExp): Promise<boolean> {
  const text = await readAnchoredText(root, name, MAX_PROJECT_FILE_BYTES);
  return text !== undefined && pattern.test(text);
}

/** test_*.py or *_test.py at the top level or in tests/ (a directory that is a link is not looked in). */
async function hasPythonTests(root: string): Promise<boolean> {
  for (const dir of ['.', 'tests', 'test']) {
    const opened = await openAnchoredDir(root, dir).catch(() => undefined);
    if (!opened) continue;
    try {
      const names = await readdir(opened.here()).catch(() => []);
      if (names.some((name) => /^test_.*\.py$|_test\.py$/.test(name))) return true;
    } finally {
      await opened.close();
    }
  }
  return false;
}
