// run_tests on real projects with real runners, in the real sandbox: the
// exact failing ids, places, expected and actual values, build errors, a
// panic and the tests it left unrun, subsets, and the cases that are not
// test failures (runner missing, timeout, no test command).
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runTestsTool, type RunTestsArgs } from '../../tools/run-tests.js';
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import type { TestReport } from '../../tools/test-runners/report.js';
import type { ApprovalRequest, ToolResult } from '../../tools/tool.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { copyProject, projectSandboxReadOnly } from '../fixtures/projects.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function project(name: string, options?: { nodeModules?: boolean }): TempRepo {
  const repo = copyProject(name, options);
  repos.push(repo);
  return repo;
}

/** The user's PATH, without the node_modules/.bin directories that `npm test` adds for this package's own tests. */
const env = {
  ...process.env,
  PATH: (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => !dir.includes('node_modules'))
    .join(':'),
};

interface Run {
  result: ToolResult;
  report: TestReport;
  asked: ApprovalRequest[];
}

/** The PATH without the directories that hold bun or deno (CI puts both on it, from .ci/install-js-runners). */
const withoutJsRunners = env.PATH.split(':')
  .filter((dir) => !existsSync(path.join(dir, 'bun')) && !existsSync(path.join(dir, 'deno')))
  .join(':');

async function runTests(
  root: string,
  args: RunTestsArgs = {},
  options: { testCommand?: string; testTimeoutMs?: number; path?: string } = {},
): Promise<Run> {
  const asked: ApprovalRequest[] = [];
  const result = await runTestsTool.execute(args, {
    workspace: await Workspace.open(root),
    signal: new AbortController().signal,
    sandbox: new Sandbox({
      enabled: true,
      env: options.path === undefined ? env : { ...env, PATH: options.path },
      readOnlyPaths: projectSandboxReadOnly,
      ...(options.testTimeoutMs ? { testTimeoutMs: options.testTimeoutMs } : {}),
    }),
    ...(options.testCommand ? { testCommand: options.testCommand } : {}),
    ask: async (request) => {
      asked.push(request);
      return { approved: true };
    },
  });
  return { result, report: result.data as TestReport, asked };
}

const ids = (report: TestReport) => report.failures.map((failure) => failure.id);

describe('run_tests with vitest', () => {
  it('reports each failure with its id, place, expected and actual, and the file that does not parse', async () => {
    const { root } = project('vitest');
    const { report, result, asked } = await runTests(root);
    expect(report).toMatchObject({
      runner: 'vitest',
      outcome: 'build_error',
      totals: { passed: 2, failed: 2, errored: 0, skipped: 1, notRun: 0 },
    });
    expect(ids(report)).toEqual([
      'src/math.test.js › math › adds two numbers',
      'src/math.test.js › math › objects › sums fields',
    ]);
    expect(report.failures[0]).toMatchObject({ file: 'src/math.test.js', line: 6, expected: '5', actual: '-1' });
    expect(report.buildErrors).toEqual([
      { file: 'src/broken.test.js', line: 4, column: 9, message: expect.stringMatching(/Unexpected token/) },
    ]);
    expect(asked).toEqual([expect.objectContaining({ tool: 'run_tests', kind: 'exec', sandboxed: true })]);
    expect(asked[0]!.command).toMatch(/^npm test -- --reporter=json --outputFile=\S+report\.json$/);
    expect(result.output).toMatch(
      /^The build failed in part \(1 build error\); the tests that could run: 2 failed, 2 passed, 1 skipped/,
    );
    expect(result.output).toContain('1. src/math.test.js › math › adds two numbers\n   at src/math.test.js:6:23\n');
  });

  it('runs a subset: one file, tests matching a name', async () => {
    const { root } = project('vitest');
    const { report } = await runTests(root, { files: ['src/math.test.js'], name: 'adds' });
    expect(report.command).toMatch(/^npm test -- src\/math\.test\.js -t adds --reporter=json/);
    expect(report.outcome).toBe('failed');
    expect(ids(report)).toEqual(['src/math.test.js › math › adds two numbers']);
    expect(report.buildErrors).toEqual([]);
  });

  it('says when the dependencies are not installed', async () => {
    const { root } = project('vitest', { nodeModules: false });
    const { report, result } = await runTests(root);
    expect(report.outcome).toBe('not_installed');
    expect(result.output).toMatch(
      /vitest was not found; the project's dependencies are not installed: run npm install/,
    );
  });
});

describe('run_tests with node --test', () => {
  it('reports each failure with its names, place, expected and actual, a file that does not parse and one that crashes', async () => {
    const { root } = project('node-test');
    const { report, result, asked } = await runTests(root);
    expect(report).toMatchObject({
      runner: 'node',
      outcome: 'build_error',
      totals: { passed: 2, failed: 2, errored: 1, skipped: 1, notRun: 0 },
    });
    expect(ids(report)).toEqual([
      'test/crash.test.js',
      'test/math.test.js › math › adds two numbers',
      'test/math.test.js › math › objects › sums fields',
    ]);
    expect(report.failures[0]).toMatchObject({
      kind: 'errored',
      file: 'test/crash.test.js',
      line: 4,
      message: "TypeError: Cannot read properties of undefined (reading 'retries')",
    });
    expect(report.failures[1]).toMatchObject({
      kind: 'failed',
      file: 'test/math.test.js',
      line: 7,
      message: 'Expected values to be strictly equal: -1 !== 5',
      expected: '5',
      actual: '-1',
    });
    expect(report.failures[2]).toMatchObject({ line: 18, expected: '{ total: 2 }', actual: '{ total: 0 }' });
    expect(report.buildErrors).toEqual([
      { file: 'test/broken.test.js', line: 4, message: "SyntaxError: Unexpected token ';'" },
    ]);
    expect(asked[0]!.command).toMatch(/^NODE_OPTIONS='--test-reporter="\S+\.mjs" .*' npm test$/);
    expect(result.output).toContain('2. test/math.test.js › math › adds two numbers\n   at test/math.test.js:7:12\n');
    expect(result.output).toContain('   expected: 5\n   actual:   -1\n');
  });

  it('runs a subset: one file, tests matching a name', async () => {
    const { root } = project('node-test');
    const { report } = await runTests(root, { files: ['test/math.test.js'], name: 'adds' });
    expect(report.command).toMatch(/ npm test -- --test-name-pattern=adds test\/math\.test\.js$/);
    expect(report).toMatchObject({ outcome: 'failed', totals: { failed: 1, passed: 0 } });
    expect(ids(report)).toEqual(['test/math.test.js › math › adds two numbers']);
  });

  it('says all passed, with the counts, when they do', async () => {
    const repo = project('node-test');
    for (const file of ['test/broken.test.js', 'test/crash.test.js']) rmSync(path.join(repo.root, file));
    repo.write('src/math.js', 'export const add = (a, b) => a + b;\nexport const multiply = (a, b) => a * b;\n');
    const { report, result } = await runTests(repo.root);
    expect(report).toMatchObject({
      outcome: 'passed',
      exitCode: 0,
      totals: { passed: 4, failed: 0, errored: 0, skipped: 1 },
    });
    expect(result.summary).toBe('0 failed, 4 passed, 1 skipped');
  });

  it('runs a command that picks its own reporter as it is, judged by its exit code', async () => {
    const { root } = project('node-test');
    const testCommand = 'node --test --test-reporter=dot test/strings.test.js';
    const { report } = await runTests(root, {}, { testCommand });
    expect(report).toMatchObject({ runner: 'command', command: testCommand, outcome: 'passed', exitCode: 0 });
  });

  it('finds the runner behind a direct command too', async () => {
    const { root } = project('node-test');
    const { report } = await runTests(root, {}, { testCommand: 'node --test test/strings.test.js' });
    expect(report).toMatchObject({ runner: 'node', outcome: 'passed', totals: { passed: 1 } });
  });
});

describe('run_tests with mocha', () => {
  it('asks mocha for its JSON report, and says when mocha is not installed', async () => {
    const { root } = project('mocha');
    const { report, result } = await runTests(root, { files: ['test/math.test.js'], name: 'adds' });
    expect(report.command).toMatch(
      /^npm test -- test\/math\.test\.js --grep adds --reporter json --reporter-option output=\S+\/mocha\.json$/,
    );
    expect(report.outcome).toBe('not_installed');
    expect(result.output).toMatch(/mocha was not found; the project's dependencies are not installed: run npm install/);
  });
});

describe('run_tests with bun', () => {
  it('reports failures by file and describe blocks with expected and received, and the file that does not parse', async () => {
    const { root } = project('bun');
    const { report } = await runTests(root);
    expect(report.command).toMatch(/^npm test -- --reporter=junit --reporter-outfile=\S+\/junit\.xml$/);
    expect(report).toMatchObject({
      runner: 'bun',
      outcome: 'build_error',
      totals: { passed: 2, failed: 3, errored: 0, skipped: 1, notRun: 0 },
    });
    expect(ids(report)).toEqual([
      'test/math.test.ts › math › adds two numbers',
      'test/math.test.ts › math › objects › sums fields',
      'test/math.test.ts › math › objects › reads settings',
    ]);
    expect(report.failures[0]).toMatchObject({ file: 'test/math.test.ts', line: 6, expected: '5', actual: '-1' });
    expect(report.failures[1]).toMatchObject({ expected: '{ "total": 2 }', actual: '{ "total": 0 }' });
    expect(report.failures[2]).toMatchObject({ file: 'src/math.ts', line: 10, message: 'no settings given' });
    expect(report.buildErrors).toEqual([
      { file: 'test/broken.test.ts', line: 4, column: 9, message: 'Expected identifier but found "="' },
    ]);
  });

  it('runs a subset: one file, tests matching a name; a file that throws outside its tests is an error', async () => {
    const repo = project('bun');
    const { report } = await runTests(repo.root, { files: ['test/math.test.ts'], name: 'adds' });
    expect(report.command).toMatch(/^npm test -- test\/math\.test\.ts -t adds --reporter=junit /);
    expect(report.outcome).toBe('failed');
    expect(ids(report)).toEqual(['test/math.test.ts › math › adds two numbers']);

    repo.write(
      'test/crash.test.ts',
      "const settings = JSON.parse('null');\nexport const retries = settings.retries;\n",
    );
    const crashed = await runTests(repo.root, { files: ['test/crash.test.ts', 'test/strings.test.ts'] });
    expect(crashed.report).toMatchObject({ outcome: 'failed', totals: { passed: 1, errored: 1 } });
    expect(crashed.report.failures).toEqual([
      expect.objectContaining({ id: 'test/crash.test.ts', kind: 'errored', file: 'test/crash.test.ts', line: 2 }),
    ]);
  });
  it("runs the package script through bun where bun's lockfile says bun manages the project", async () => {
    const repo = project('bun');
    repo.write('bun.lock', '{\n  "lockfileVersion": 1,\n  "workspaces": { "": { "name": "bun-fixture" } }\n}\n');
    const { report, result } = await runTests(repo.root, { files: ['test/strings.test.ts'] });
    expect(report.command).toMatch(/^bun run test test\/strings\.test\.ts --reporter=junit /);
    expect(report).toMatchObject({ outcome: 'passed', totals: { passed: 1, failed: 0 } });
    expect(result.output).toContain('(from package.json)');
  });
});

describe('run_tests with deno', () => {
  it('reports failures with steps as nested names, node:assert values, and the ignored test', async () => {
    const { root } = project('deno');
    const { report } = await runTests(root);
    expect(report.command).toMatch(/^deno test --junit-path=\S+\/junit\.xml$/);
    expect(report).toMatchObject({
      runner: 'deno',
      outcome: 'failed',
      totals: { passed: 2, failed: 3, errored: 0, skipped: 1, notRun: 0 },
    });
    expect(ids(report)).toEqual([
      'math_test.ts › adds two numbers',
      'math_test.ts › objects › sums fields',
      'math_test.ts › objects › reads settings',
    ]);
    expect(report.failures[0]).toMatchObject({ file: 'math_test.ts', line: 5, expected: '5', actual: '-1' });
    expect(report.failures[1]).toMatchObject({ expected: '{ total: 2 }', actual: '{ total: 0 }' });
    expect(report.failures[2]).toMatchObject({ file: 'math.ts', line: 10, message: 'Error: no settings given' });
  });

  it('runs a subset: one file, tests matching a name', async () => {
    const { root } = project('deno');
    const { report } = await runTests(root, { files: ['math_test.ts'], name: 'adds' });
    expect(report.command).toMatch(/^deno test --filter adds --junit-path=\S+ math_test\.ts$/);
    expect(report.outcome).toBe('failed');
    expect(ids(report)).toEqual(['math_test.ts › adds two numbers']);
  });

  it('reports a file that does not parse as a build error, and one that throws outside its tests as an error', async () => {
    const repo = project('deno');
    repo.write('crash_test.ts', "const settings = JSON.parse('null');\nexport const retries = settings.retries;\n");
    const crashed = await runTests(repo.root, { files: ['crash_test.ts', 'strings_test.ts'] });
    expect(crashed.report).toMatchObject({ outcome: 'failed', totals: { passed: 1, errored: 1 } });
    expect(crashed.report.failures).toEqual([
      expect.objectContaining({ id: 'crash_test.ts', kind: 'errored', file: 'crash_test.ts', line: 2 }),
    ]);

    repo.write('broken_test.ts', "Deno.test('never runs', () => {\n  const = 3;\n});\n");
    const { report, result } = await runTests(repo.root);
    expect(report.outcome).toBe('build_error');
    expect(report.buildErrors).toEqual([
      { file: 'broken_test.ts', line: 2, column: 9, message: expect.stringMatching(/^SyntaxError: Unexpected token/) },
    ]);
    expect(result.output).toMatch(/^The build failed \(1 build error\); no tests ran/);
  });
});

describe('run_tests without bun or deno installed', () => {
  it.each([
    [
      'bun test',
      /^bun test --reporter=junit --reporter-outfile=\S+junit\.xml$/,
      /bun was not found; Bun is not installed/,
    ],
    ['deno test', /^deno test --junit-path=\S+junit\.xml$/, /deno was not found; Deno is not installed/],
  ])('%s asks for a JUnit report, and says the runner is missing', async (command, shape, missing) => {
    const repo = makeTempRepo({ 'a.test.ts': '' });
    repos.push(repo);
    const { report, result } = await runTests(repo.root, {}, { testCommand: command, path: withoutJsRunners });
    expect(report.command).toMatch(shape);
    expect(report.outcome).toBe('not_installed');
    expect(result.output).toMatch(missing);
  });
});

describe('run_tests with jest', () => {
  it('reports failures with expected and received, and the suite that does not parse', async () => {
    const { root } = project('jest');
    const { report } = await runTests(root);
    expect(report).toMatchObject({
      runner: 'jest',
      outcome: 'build_error',
      totals: { passed: 2, failed: 2, errored: 0, skipped: 1, notRun: 0 },
    });
    expect(ids(report)).toEqual([
      'src/math.test.js › math › adds two numbers',
      'src/math.test.js › math › objects › sums fields',
    ]);
    expect(report.failures[0]).toMatchObject({ file: 'src/math.test.js', line: 5, expected: '5', actual: '-1' });
    expect(report.buildErrors).toEqual([
      { file: 'src/broken.test.js', line: 2, column: 9, message: 'SyntaxError: Unexpected token' },
    ]);
  });
});

describe('run_tests with pytest', () => {
  it('names failures by node id, with the line that failed, and a module that does not import as a build error', async () => {
    const { root } = project('pytest');
    const { report } = await runTests(root);
    expect(report).toMatchObject({
      runner: 'pytest',
      outcome: 'build_error',
      totals: { passed: 1, failed: 3, errored: 0, skipped: 1, notRun: 0 },
    });
    expect(ids(report)).toEqual([
      'tests/test_calc.py::test_add',
      'tests/test_calc.py::TestObjects::test_sum_fields',
      'tests/test_calc.py::TestObjects::test_raises',
    ]);
    expect(report.failures[0]).toMatchObject({ file: 'tests/test_calc.py', line: 7, message: 'assert -1 == 5' });
    expect(report.failures[2]).toMatchObject({ line: 24, message: 'RuntimeError: boom' });
    expect(report.buildErrors).toEqual([
      { file: 'tests/test_broken.py', line: 2, message: expect.stringMatching(/^SyntaxError/) },
    ]);
  });

  it('runs one test by name', async () => {
    const { root } = project('pytest');
    const { report } = await runTests(root, { files: ['tests/test_calc.py'], name: 'test_raises' });
    expect(report.outcome).toBe('failed');
    expect(ids(report)).toEqual(['tests/test_calc.py::TestObjects::test_raises']);
  });
});

describe('run_tests with cargo', () => {
  it('names failures by target and test path, with the panic place and message', async () => {
    const { root } = project('cargo');
    const { report } = await runTests(root);
    expect(report).toMatchObject({
      runner: 'cargo',
      outcome: 'failed',
      totals: { passed: 2, failed: 2, errored: 0, skipped: 1, notRun: 0 },
    });
    expect(ids(report)).toEqual(['src/lib.rs › tests::adds_two_numbers', 'tests/api.rs › sums_fields']);
    expect(report.failures[0]).toMatchObject({ file: 'src/lib.rs', line: 15, column: 9 });
    expect(report.failures[1]).toMatchObject({ file: 'tests/api.rs', line: 3, message: 'add(1, 1) should be 2' });
  });

  it('reports a compile error with its place, never as "0 failed"', async () => {
    const repo = project('cargo');
    repo.write('src/lib.rs', 'pub fn add(a: i32, b: i32) -> i32 {\n    a + undefined_name\n}\n');
    const { report, result } = await runTests(repo.root);
    expect(report.outcome).toBe('build_error');
    expect(report.buildErrors).toEqual([
      { file: 'src/lib.rs', line: 2, column: 9, message: 'cannot find value `undefined_name` in this scope' },
    ]);
    expect(result.output).toMatch(/^The build failed \(1 build error\); no tests ran/);
  });
});

describe('run_tests with go', () => {
  it('reports failures by package and test, the package that does not compile, and the tests a panic left unrun', async () => {
    const { root } = project('go');
    const { report } = await runTests(root);
    expect(report).toMatchObject({
      runner: 'go',
      outcome: 'build_error',
      totals: { passed: 3, failed: 3, errored: 0, skipped: 1, notRun: 1 },
    });
    expect(ids(report)).toEqual([
      'example.com/fixture/calc › TestAdd',
      'example.com/fixture/calc › TestTable/ones',
      'example.com/fixture/crash › TestOutOfRange',
    ]);
    expect(report.failures[0]).toMatchObject({ file: 'calc/calc_test.go', line: 7, message: 'Add(2, 3) = -1, want 5' });
    expect(report.failures[2]).toMatchObject({
      file: 'crash/crash.go',
      line: 4,
      message: 'panic: runtime error: index out of range [5] with length 1',
    });
    expect(report.notRun).toEqual(['example.com/fixture/crash › TestAfterPanic']);
    expect(report.buildErrors).toEqual([
      { file: 'broken/broken.go', line: 4, column: 9, message: 'undefined: undefinedName' },
    ]);
  });

  it('reports a panic as a crash when it is the worst thing that happened', async () => {
    const { root } = project('go');
    const { report, result } = await runTests(root, { files: ['crash/crash_test.go'] });
    expect(report.command).toBe('go test -json ./crash');
    expect(report.outcome).toBe('crashed');
    expect(report.notRun).toEqual(['example.com/fixture/crash › TestAfterPanic']);
    expect(result.output).toMatch(/^A test crashed the run; tests after it never ran: 1 failed, 1 passed, 1 not run/);
  });

  it('runs the tests whose name matches, in the packages of the files given', async () => {
    const { root } = project('go');
    const { report } = await runTests(root, { files: ['calc/calc_test.go'], name: 'TestAdd$' });
    expect(report.command).toBe("go test -json -run 'TestAdd$' ./calc");
    expect(ids(report)).toEqual(['example.com/fixture/calc › TestAdd']);
    expect(report.totals).toMatchObject({ passed: 0, failed: 1 });
  });

  it('takes the test command from AGENTS.md', async () => {
    const repo = project('go');
    repo.write('AGENTS.md', '# Notes\n\n- Run the tests with `go test ./calc` before committing.\n');
    const { report, result } = await runTests(repo.root);
    expect(report.command).toBe('go test -json ./calc');
    expect(ids(report)).toEqual(['example.com/fixture/calc › TestAdd', 'example.com/fixture/calc › TestTable/ones']);
    expect(result.output).toContain('(from AGENTS.md)');
  });
});

describe('run_tests with any other command', () => {
  it('judges a command without a reporter by its exit code and shows the end of its output', async () => {
    const repo = makeTempRepo({ 'check.sh': 'echo checking\necho "2 checks failed" >&2\nexit 3\n' });
    repos.push(repo);
    const { report, result } = await runTests(repo.root, {}, { testCommand: 'sh check.sh' });
    expect(report).toMatchObject({ runner: 'command', outcome: 'failed', exitCode: 3 });
    expect(result.output).toMatch(
      /^The test command failed \(exit 3, .*\)\.\nCommand: sh check\.sh {2}\(from the configured test command\)/,
    );
    expect(result.output).toMatch(/End of the output:\nchecking\n2 checks failed$/);
  });

  it('stops a run that takes too long and says where the limit is set', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a' });
    repos.push(repo);
    const { report, result } = await runTests(repo.root, {}, { testCommand: 'sleep 30', testTimeoutMs: 500 });
    expect(report.outcome).toBe('timed_out');
    expect(result.output).toMatch(/did not finish in time/);
    expect(result.output).toMatch(/"testTimeout" in \.gptoss-agent\/config\.json/);
  });

  it('tells the model when there is no test command to find', async () => {
    const repo = makeTempRepo({ 'README.md': 'hello' });
    repos.push(repo);
    await expect(runTests(repo.root)).rejects.toThrow(
      /No test command was found .* "testCommand" in \.gptoss-agent\/config\.json/,
    );
  });
});

describe('run_tests without the sandbox', () => {
  it('asks with the request marked unsandboxed', async () => {
    const repo = makeTempRepo({ 'a.txt': 'a' });
    repos.push(repo);
    const asked: ApprovalRequest[] = [];
    const result = await runTestsTool.execute(
      {},
      {
        workspace: await Workspace.open(repo.root),
        signal: new AbortController().signal,
        sandbox: new Sandbox({ enabled: false, env }),
        testCommand: 'true',
        ask: async (request) => {
          asked.push(request);
          return { approved: false, by: 'headless' };
        },
      },
    );
    expect(asked[0]).toMatchObject({
      sandboxed: false,
      warning: expect.stringMatching(/WITHOUT the sandbox: .*--no-sandbox/),
    });
    expect(result.isError).toBe(true);
  });
});
