// Reads `go test -json` as it streams: one event per line (run, pass, fail,
// skip, output) per package and test. Build errors come as plain text on
// standard error (Go before 1.24) or as build-output events (1.24 on). A
// panic ends its package's test binary: the panicking test is the failure,
// and the tests of that package that never started are listed as not run.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { openAnchoredDir } from '../workspace/anchored-dir.js';
import { readAnchoredText } from '../workspace/anchored-read.js';
import { excerpt, isProjectPath, relativeToRoot } from './locations.js';
import { foldBlankLines } from '../text/fold-blank-lines.js';
import { emptyTotals, type BuildError, type RunnerFindings, type TestFailure } from './report.js';

interface GoEvent {
  Action?: string;
  Package?: string;
  ImportPath?: string;
  Test?: string;
  Output?: string;
}

interface TestState {
  status: 'run' | 'pass' | 'fail' | 'skip';
  output: string[];
}

interface PackageState {
  status?: 'pass' | 'fail' | 'skip';
  output: string[];
  tests: Map<string, TestState>;
}

/** A go.mod or _test.go larger than this is not read (to name a module or the tests a crash left unrun). */
const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

const COMPILER_LINE = /^(\S+?\.go):(\d+)(?::(\d+))?: (.*)$/;

export class GoTestCollector {
  private readonly packages = new Map<string, PackageState>();
  private readonly buildOutput: string[] = [];

  constructor(
    private readonly root: string,
    /** The module path from go.mod, to find a package's directory. */
    private readonly modulePath: string | undefined,
  ) {}

  /** One line of `go test -json` standard output. */
  line(text: string): void {
    if (!text.startsWith('{')) return; // "FAIL pkg [build failed]" and other plain lines: the errors are on stderr
    let event: GoEvent;
    try {
      event = JSON.parse(text) as GoEvent;
    } catch {
      return;
    }
    if (event.Action === 'build-output' && event.Output) {
      this.buildOutput.push(event.Output);
      return;
    }
    if (!event.Package) return;
    const pkg = this.packageState(event.Package);
    if (!event.Test) {
      if (event.Action === 'output' && event.Output) pkg.output.push(event.Output);
      if (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip') pkg.status = event.Action;
      return;
    }
    let test = pkg.tests.get(event.Test);
    if (!test) {
      test = { status: 'run', output: [] };
      pkg.tests.set(event.Test, test);
    }
    if (event.Action === 'output' && event.Output) test.output.push(event.Output);
    if (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip') test.status = event.Action;
  }

  async finish(stderr: string): Promise<RunnerFindings> {
    const totals = emptyTotals();
    const failures: TestFailure[] = [];
    const notRun: string[] = [];
    let crashed = false;
    for (const [importPath, pkg] of this.packages) {
      const names = [...pkg.tests.keys()];
      const isParent = (name: string) => names.some((other) => other.startsWith(`${name}/`));
      let failedInPackage = 0;
      let packageCrashed = /^panic: /m.test(pkg.output.join(''));
      for (const [name, test] of pkg.tests) {
        if (isParent(name)) continue;
        const id = `${importPath} › ${name}`;
        if (test.status === 'pass') totals.passed++;
        else if (test.status === 'skip') totals.skipped++;
        else {
          failedInPackage++;
          const failure = this.failureOf(id, importPath, test);
          if (failure.kind === 'errored') totals.errored++;
          else totals.failed++;
          if (failure.message.startsWith('panic: ')) packageCrashed = true;
          failures.push(failure);
        }
      }
      const packageOutput = pkg.output.join('');
      if (packageCrashed) {
        crashed = true;
        for (const name of await this.declaredTests(importPath)) {
          if (!pkg.tests.has(name)) notRun.push(`${importPath} › ${name}`);
        }
      }
      // The package failed with no test to blame: TestMain, init, a panic outside any test.
      if (pkg.status === 'fail' && failedInPackage === 0 && !/\[build failed\]|\[setup failed\]/.test(packageOutput)) {
        totals.errored++;
        failures.push({
          id: importPath,
          kind: 'errored',
          message: firstMeaningful(pkg.output) ?? 'the package failed outside any test',
          excerpt: excerpt(this.root, packageOutput),
        });
      }
    }
    totals.notRun = notRun.length;
    // Packages run in parallel: sort, so that two runs of the same code read the same.
    failures.sort((a, b) => a.id.localeCompare(b.id));
    notRun.sort();
    const buildErrors = compilerErrors(this.root, [...this.buildOutput, stderr].join('\n'));
    return { totals, failures, buildErrors, crashed, notRun };
  }

  private packageState(importPath: string): PackageState {
    let pkg = this.packages.get(importPath);
    if (!pkg) {
      pkg = { output: [], tests: new Map() };
      this.packages.set(importPath, pkg);
    }
    return pkg;
  }

  private failureOf(id: string, importPath: string, test: TestState): TestFailure {
    const text = test.output.filter((line) => !/^(=== (RUN|PAUSE|CONT)|--- FAIL)/.test(line.trim())).join('');
    if (test.status === 'run') {
      return { id, kind: 'errored', message: 'never finished: it was still running when the run stopped' };
    }
    const panic = /^panic: (.*?)(?: \[recovered\])?$/m.exec(text);
    if (panic) {
      // The deepest frame in the project's own code is where it broke.
      const frame = [...text.matchAll(/^\t(\/\S+\.go):(\d+)/gm)].find((m) => isProjectPath(this.root, m[1]!));
      return {
        id,
        kind: 'failed',
        ...(frame ? { file: relativeToRoot(this.root, frame[1]!), line: Number(frame[2]) } : {}),
        message: `panic: ${panic[1]}`,
        excerpt: excerpt(this.root, projectFrames(this.root, text), 14),
      };
    }
    // t.Errorf and friends print "    file_test.go:12: message" (the file relative to the package).
    // Blank lines folded first: `^\s+` tried from each line of a long run of them backtracked for minutes.
    const reported = /^\s+(\S+?\.go):(\d+): (.*)$/m.exec(foldBlankLines(text));
    const dir = this.packageDir(importPath);
    return {
      id,
      kind: 'failed',
      ...(reported ? { file: dir ? `${dir}/${reported[1]}` : reported[1]!, line: Number(reported[2]) } : {}),
      message: reported?.[3] ?? firstMeaningful(test.output) ?? 'failed',
      excerpt: excerpt(this.root, text),
    };
  }

  /** The package's directory relative to the root ('' for the root package); undefined outside the module. */
  private packageDir(importPath: string): string | undefined {
    if (!this.modulePath) return undefined;
    if (importPath === this.modulePath) return '';
    return importPath.startsWith(`${this.modulePath}/`) ? importPath.slice(this.modulePath.length + 1) : undefined;
  }

  /**
   * Top-level tests declared in the package's _test.go files (to name those a crash left unrun), read without
   * following links: the test command may have replaced them with a link out or a FIFO.
   */
  private async declaredTests(importPath: string): Promise<string[]> {
    const dir = this.packageDir(importPath);
    if (dir === undefined) return [];
    const opened = await openAnchoredDir(this.root, dir).catch(() => undefined);
    if (!opened) return [];
    const names: string[] = [];
    try {
      for (const file of await readdir(opened.here()).catch(() => [])) {
        if (!file.endsWith('_test.go')) continue;
        const source = await readAnchoredText(this.root, path.posix.join(dir, file), MAX_SOURCE_BYTES);
        for (const match of (source ?? '').matchAll(/^func (Test[A-Z0-9_]\w*|Test)\(\w+ \*testing\.T\)/gm))
          names.push(match[1]!);
      }
    } finally {
      await opened.close();
    }
    return names;
  }
}

/** The module path declared in go.mod. */
export async function goModulePath(root: string): Promise<string | undefined> {
  const text = await readAnchoredText(root, 'go.mod', MAX_SOURCE_BYTES);
  return text === undefined ? undefined : /^module\s+(\S+)/m.exec(text)?.[1];
}

function compilerErrors(root: string, text: string): BuildError[] {
  const errors: BuildError[] = [];
  for (const line of text.split('\n')) {
    const match = COMPILER_LINE.exec(line.trim());
    if (!match) continue;
    errors.push({
      file: relativeToRoot(root, match[1]!),
      line: Number(match[2]),
      ...(match[3] ? { column: Number(match[3]) } : {}),
      message: match[4]!,
    });
  }
  return errors;
}

/** A goroutine trace with only the frames (function line and file line) in the project's own code. */
function projectFrames(root: string, text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const place = /^\t(\/\S+\.go):\d+/.exec(lines[i + 1] ?? '');
    if (place && !isProjectPath(root, place[1]!)) {
      i++;
      continue;
    }
    kept.push(lines[i]!);
  }
  return kept.join('\n');
}

function firstMeaningful(lines: readonly string[]): string | undefined {
  return lines
    .map((line) => line.trim())
    .find((line) => line !== '' && !/^(=== |--- |FAIL|PASS|ok\s|exit status)/.test(line));
}
