// run_tests reads back what the sandboxed test command wrote: report files in
// the run's scratch directory, JUnit files under the repository, the Go test
// files a crash names. The command controls all of them. A report replaced by
// a link to a host file, a FIFO, a file too large, or a package path that
// climbs out must never show the model a byte from outside, nor hang the agent.
import { execFileSync } from 'node:child_process';
import { chmodSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runTestsTool } from '../../tools/run-tests.js';
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import type { TestReport } from '../../tools/test-runners/report.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const SECRET = 'SECRET-host-file-7731';
/** A hang is the failure these tests look for; this only keeps one from stalling the suite. */
const SAFETY_NET_MS = 60_000;

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function tempDir(files: Record<string, string>, git = true): TempRepo {
  const repo = makeTempRepo(files, { git });
  repos.push(repo);
  return repo;
}

/** Files outside every repository, as a host secret would be, modified "now" so no freshness check skips them. */
function outside(files: Record<string, string>): string {
  const dir = tempDir(files, false).root;
  const later = new Date(Date.now() + 3_600_000);
  for (const name of Object.keys(files)) utimesSync(path.join(dir, name), later, later);
  return dir;
}

/** A repository whose fake runner `name` is a shell script: `report` is the path its reporter option names. */
function repoWithRunner(name: string, body: string, files: Record<string, string> = {}): TempRepo {
  const script = [
    '#!/bin/sh',
    'for arg in "$@"; do',
    '  case "$arg" in',
    '    --outputFile=*) report="${arg#--outputFile=}" ;;',
    '    --junitxml=*) report="${arg#--junitxml=}" ;;',
    '  esac',
    'done',
    body,
    'exit 1',
    '',
  ].join('\n');
  const repo = tempDir({ ...files, [name]: script });
  chmodSync(path.join(repo.root, name), 0o755);
  return repo;
}

async function runTests(root: string, testCommand: string): Promise<{ output: string; report: TestReport }> {
  const result = await runTestsTool.execute(
    {},
    {
      workspace: await Workspace.open(root),
      signal: new AbortController().signal,
      sandbox: new Sandbox({ enabled: true, env: process.env }),
      testCommand,
      ask: async () => ({ approved: true }),
    },
  );
  return { output: result.output, report: result.data as TestReport };
}

const jestReport = (message: string) =>
  JSON.stringify({
    testResults: [
      {
        name: 'a.test.ts',
        status: 'failed',
        assertionResults: [{ ancestorTitles: [], title: 't', status: 'failed', failureMessages: [message] }],
      },
    ],
  });

const junitReport = (message: string) =>
  `<testsuite name="S" tests="1" failures="1"><testcase classname="S" name="leak">` +
  `<failure message="${message}">${message}</failure></testcase></testsuite>`;

describe('report files in the scratch directory', () => {
  it('never reads a report the command replaced with a link to a host file', { timeout: SAFETY_NET_MS }, async () => {
    const secret = path.join(outside({ 'config.json': jestReport(SECRET) }), 'config.json');
    const repo = repoWithRunner('vitest', `ln -s '${secret}' "$report"`);
    const { output, report } = await runTests(repo.root, './vitest');
    expect(output).not.toContain(SECRET);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(output).toContain('report.json is a symbolic link');
    // Unreported: judged by how the command ended.
    expect(report).toMatchObject({ runner: 'vitest', outcome: 'error', exitCode: 1 });
  });

  it('does not wait on a report the command left as a FIFO', { timeout: SAFETY_NET_MS }, async () => {
    const repo = repoWithRunner('pytest', 'mkfifo "$report"');
    const { output, report } = await runTests(repo.root, './pytest');
    expect(output).toContain('junit.xml is not a regular file');
    expect(report).toMatchObject({ runner: 'pytest', outcome: 'error' });
  });

  it('does not read a report larger than the cap', { timeout: SAFETY_NET_MS }, async () => {
    // Sparse: costs no disk, yet reads as 100 MB of zeros.
    const repo = repoWithRunner('vitest', 'truncate -s 100M "$report"');
    const { output, report } = await runTests(repo.root, './vitest');
    expect(output).toContain('report.json is larger than 64.0 MB');
    expect(report.outcome).toBe('error');
  });
});

describe('JUnit files under the repository (Maven, Gradle)', () => {
  const passing = `<testsuite name="A" tests="1"><testcase classname="A" name="ok"/></testsuite>`;
  const mvnw = (attack: string) =>
    ['mkdir -p target/surefire-reports', `printf '%s' '${passing}' > target/surefire-reports/TEST-A.xml`, attack].join(
      '\n',
    );

  it('reads the real reports and refuses one that is a link to a host file', { timeout: SAFETY_NET_MS }, async () => {
    const secret = path.join(outside({ 'TEST-secret.xml': junitReport(SECRET) }), 'TEST-secret.xml');
    const repo = repoWithRunner('mvnw', mvnw(`ln -s '${secret}' target/surefire-reports/TEST-B.xml`));
    const { output, report } = await runTests(repo.root, './mvnw test');
    expect(output).not.toContain(SECRET);
    expect(report.totals).toMatchObject({ passed: 1, failed: 0 });
    expect(output).toContain('target/surefire-reports/TEST-B.xml is a symbolic link');
  });

  it('does not wait on a report that is a FIFO', { timeout: SAFETY_NET_MS }, async () => {
    const repo = repoWithRunner('mvnw', mvnw('mkfifo target/surefire-reports/TEST-B.xml'));
    const { output, report } = await runTests(repo.root, './mvnw test');
    expect(report.totals).toMatchObject({ passed: 1 });
    expect(output).toContain('target/surefire-reports/TEST-B.xml is not a regular file');
  });

  it('does not read one report larger than the cap of a single report', { timeout: SAFETY_NET_MS }, async () => {
    // Sparse: costs no disk; under the cap of all reports together, over the cap of one.
    const repo = repoWithRunner('mvnw', mvnw('truncate -s 100M target/surefire-reports/TEST-B.xml'));
    const { output, report } = await runTests(repo.root, './mvnw test');
    expect(report.totals).toMatchObject({ passed: 1, failed: 0 });
    expect(output).toContain('target/surefire-reports/TEST-B.xml is larger than 64.0 MB');
  });

  it('does not walk a reports directory that is a link out', { timeout: SAFETY_NET_MS }, async () => {
    const dir = outside({ 'TEST-S.xml': junitReport(SECRET) });
    const repo = repoWithRunner('mvnw', `mkdir -p sub/target\nln -s '${dir}' sub/target/surefire-reports\n${mvnw('')}`);
    const { output, report } = await runTests(repo.root, './mvnw test');
    expect(output).not.toContain(SECRET);
    expect(report.totals).toMatchObject({ passed: 1, failed: 0 });
  });
});

describe("the Go test files a crash's report names", () => {
  /** `go test -json` output: TestA panics in `pkg`, so the tests it declares but never ran are looked up. */
  const panicIn = (pkg: string) =>
    [
      { Action: 'run', Package: pkg, Test: 'TestA' },
      { Action: 'output', Package: pkg, Test: 'TestA', Output: 'panic: boom\n' },
      { Action: 'fail', Package: pkg, Test: 'TestA' },
      { Action: 'fail', Package: pkg },
    ]
      .map((event) => `printf '%s\\n' '${JSON.stringify(event)}'`)
      .join('\n');
  const goFiles = {
    'go.mod': 'module example.com/m\n',
    'a_test.go': 'package m\n\nfunc TestA(t *testing.T) {}\n\nfunc TestB(t *testing.T) {}\n',
  };
  const goRepo = (body: string) => repoWithRunner('go', body, goFiles);

  it('reads test names only from files in the repository', { timeout: SAFETY_NET_MS }, async () => {
    const dir = outside({
      'leak_test.go': 'package m\n\nfunc TestLinkedSecret(t *testing.T) {}\n',
      'x_test.go': 'package x\n\nfunc TestOutsideSecret(t *testing.T) {}\n',
    });
    const repo = goRepo('');
    // A package path that climbs out of the module, and a test file linked to a file outside.
    const climbing = `example.com/m/${path.relative(repo.root, dir)}`;
    repo.write(
      'go',
      `#!/bin/sh\nln -s '${dir}/leak_test.go' b_test.go\n${panicIn('example.com/m')}\n${panicIn(climbing)}\nexit 1\n`,
    );
    const { output, report } = await runTests(repo.root, './go test ./...');
    expect(output).not.toMatch(/TestLinkedSecret|TestOutsideSecret/);
    // The repository's own file is still read: TestB never ran.
    expect(report.notRun).toEqual(['example.com/m › TestB']);
  });

  it('does not wait on a test file the command left as a FIFO', { timeout: SAFETY_NET_MS }, async () => {
    const repo = goRepo(`mkfifo c_test.go\n${panicIn('example.com/m')}`);
    const { report } = await runTests(repo.root, './go test ./...');
    expect(report.notRun).toEqual(['example.com/m › TestB']);
  });

  it('does not wait on a go.mod that is a FIFO', { timeout: SAFETY_NET_MS }, async () => {
    const repo = goRepo(panicIn('example.com/m'));
    repo.git('rm', '-q', 'go.mod');
    execFileSync('mkfifo', [path.join(repo.root, 'go.mod')]);
    const { report } = await runTests(repo.root, './go test ./...');
    // Without a module path the package's directory is unknown: nothing is named as not run.
    expect(report).toMatchObject({ runner: 'go', outcome: 'crashed', notRun: [] });
  });
});
