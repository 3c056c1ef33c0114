// Which command runs a project's tests, and which runner it starts.
import { describe, expect, it, afterEach } from 'vitest';
import { detectTestCommand } from '../../../tools/test-runners/detect.js';
import { inferRunner, shellQuote } from '../../../tools/test-runners/infer-runner.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function dir(files: Record<string, string>): string {
  const repo = makeTempRepo(files, { git: false });
  repos.push(repo);
  return repo.root;
}

const pkg = (test: string) => JSON.stringify({ scripts: { test } });

describe('finding the test command', () => {
  it.each([
    [
      'the configured command first',
      { 'package.json': pkg('jest'), 'AGENTS.md': 'Test: `make check`' },
      'make ci',
      'make ci',
    ],
    [
      'then AGENTS.md',
      { 'package.json': pkg('jest'), 'AGENTS.md': '- Tests live in `test/`; run `make check`.' },
      undefined,
      'make check',
    ],
    ['package.json with npm', { 'package.json': pkg('vitest run') }, undefined, 'npm test'],
    ['package.json with pnpm', { 'package.json': pkg('vitest run'), 'pnpm-lock.yaml': '' }, undefined, 'pnpm test'],
    ['package.json with yarn', { 'package.json': pkg('jest'), 'yarn.lock': '' }, undefined, 'yarn test'],
    ['package.json with bun', { 'package.json': pkg('bun test'), 'bun.lock': '{}' }, undefined, 'bun run test'],
    [
      'package.json with bun (binary lockfile)',
      { 'package.json': pkg('jest'), 'bun.lockb': '' },
      undefined,
      'bun run test',
    ],
    [
      "not npm's placeholder script",
      { 'package.json': pkg('echo "Error: no test specified" && exit 1'), 'go.mod': 'module x' },
      undefined,
      'go test ./...',
    ],
    ['pytest', { 'tests/test_a.py': '' }, undefined, 'python3 -m pytest'],
    ['pytest from pyproject.toml', { 'pyproject.toml': '[tool.pytest.ini_options]\n' }, undefined, 'python3 -m pytest'],
    ['deno', { 'deno.json': '{}', 'main_test.ts': '' }, undefined, 'deno test'],
    ['cargo', { 'Cargo.toml': '[package]' }, undefined, 'cargo test'],
    ['go', { 'go.mod': 'module x' }, undefined, 'go test ./...'],
    ['Maven with its wrapper', { 'pom.xml': '<project/>', mvnw: '' }, undefined, './mvnw test'],
    ['Gradle', { 'build.gradle.kts': '' }, undefined, 'gradle test'],
    ['make', { Makefile: 'build:\n\ttrue\ntest:\n\ttrue\n' }, undefined, 'make test'],
  ])('%s', async (_name, files, configured, command) => {
    expect((await detectTestCommand(dir(files), configured))?.command).toBe(command);
  });

  it('finds nothing in a project without tests', async () => {
    expect(await detectTestCommand(dir({ 'README.md': '' }))).toBeUndefined();
  });
});

describe('the runner behind a command', () => {
  it.each([
    ['npm test', pkg('vitest run'), 'vitest', 'npm test -- -t x'],
    ['npm test', pkg('tsc -p . && jest --coverage'), 'jest', 'npm test -- -t x'],
    ['npm test', pkg('jest && eslint .'), 'command', 'npm test'],
    ['pnpm test', pkg('NODE_ENV=test vitest'), 'vitest', 'pnpm test -t x'],
    ['npx vitest run', '{}', 'vitest', 'npx vitest run -t x'],
    ['python3 -m pytest -q', '{}', 'pytest', 'python3 -m pytest -q -t x'],
    ['cargo test --workspace -- --nocapture', '{}', 'cargo', 'cargo test --workspace -t x -- --nocapture'],
    ['go test ./...', '{}', 'go', 'go test ./... -t x'],
    ['make test', '{}', 'command', 'make test'],
    ['npm test && echo done', pkg('jest'), 'command', 'npm test && echo done'],
    ['npm test', pkg('node --test'), 'node', 'npm test -- -t x'],
    ['npm test', pkg('tsc && node --test --test-concurrency=1 dist/'), 'node', 'npm test -- -t x'],
    ['node --test test/', '{}', 'node', 'node --test test/ -t x'],
    ['node test/run.js', '{}', 'command', 'node test/run.js'],
    ['npm test', pkg('mocha --recursive'), 'mocha', 'npm test -- -t x'],
    ['npx mocha', '{}', 'mocha', 'npx mocha -t x'],
    ['yarn test', pkg('pytest'), 'command', 'yarn test'],
    ['bun test', pkg('vitest run'), 'bun', 'bun test -t x'],
    ['bun run test', pkg('vitest run'), 'vitest', 'bun run test -t x'],
    ['npm test', pkg('bun test'), 'bun', 'npm test -- -t x'],
    ['deno test -A', '{}', 'deno', 'deno test -A -t x'],
  ])('%s (script %s) → %s', async (command, packageJson, runner, withArgs) => {
    const inferred = await inferRunner(command, dir({ 'package.json': packageJson }));
    expect(inferred.runner).toBe(runner);
    expect(inferred.withArgs(['-t', 'x'])).toBe(withArgs);
  });

  it('quotes arguments for the shell', () => {
    expect(shellQuote('src/a.test.ts')).toBe('src/a.test.ts');
    expect(shellQuote("it's a name")).toBe(`'it'\\''s a name'`);
  });
});
