// One test run, runner by runner: the arguments that ask for a machine-
// readable report (and for a subset of the tests), and how the report is
// read back once the command has ended.
import { writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { formatBytes } from '../text/format-bytes.js';
import { openAnchoredDir, type AnchoredDir } from '../workspace/anchored-dir.js';
import type { SandboxResult } from '../sandbox/sandbox.js';
import { parseCargoOutput } from './cargo-text.js';
import { GoTestCollector, goModulePath } from './go-json.js';
import { inferRunner, shellQuote } from './infer-runner.js';
import { parseJestJson } from './jest-json.js';
import { jsOutputProblems, parseJsJunit } from './js-junit.js';
import { parseJunit } from './junit-xml.js';
import { mochaJsonFromOutput, mochaSyntaxErrors, parseMochaJson } from './mocha-json.js';
import { NODE_REPORT_FILE, NODE_REPORTER_FILE, NODE_REPORTER_SOURCE, parseNodeTestReport } from './node-test.js';
import { relativeToRoot } from './locations.js';
import { MAX_REPORT_BYTES, readReportFile } from './report-file.js';
import { emptyTotals, type BuildError, type RunnerFindings, type RunnerName } from './report.js';

export interface TestSubset {
  /** Test files (or, for go, files in the packages) to run. */
  files?: string[];
  /** A test name or pattern, as the runner filters by name. */
  name?: string;
}

export interface Findings extends RunnerFindings {
  /** Whether a report was found at all (false: judge by exit code and output). */
  reported: boolean;
  /** Report files found but not read (a link, not a regular file, too large): why, one each. */
  refused?: string[];
}

export interface TestPlan {
  runner: RunnerName;
  command: string;
  mergeStderr: boolean;
  onStdoutLine?: (line: string) => void;
  read(result: SandboxResult): Promise<Findings>;
  /** Said to the model when the subset could not be applied. */
  note?: string;
}

export interface PlanContext {
  root: string;
  /** A directory the command may write its report into. */
  scratch: string;
  /** When the run started (ms since the epoch): older report files are stale. */
  startedAt: number;
}

export async function planTests(baseCommand: string, subset: TestSubset, context: PlanContext): Promise<TestPlan> {
  const { runner, withArgs, words = [] } = await inferRunner(baseCommand, context.root);
  const files = subset.files ?? [];
  const name = subset.name;
  const { root, scratch } = context;
  switch (runner) {
    case 'vitest':
    case 'jest': {
      const report = path.join(scratch, 'report.json');
      const reporter = runner === 'vitest' ? ['--reporter=json'] : ['--json', '--ci'];
      return {
        runner,
        command: withArgs([...files, ...(name ? ['-t', name] : []), ...reporter, `--outputFile=${report}`]),
        mergeStderr: true,
        read: async () => {
          const { json, refused } = await readJson(scratch, 'report.json');
          return json === undefined ? unreported(refused) : { ...parseJestJson(json, root), reported: true };
        },
      };
    }
    case 'node': {
      const reporter = path.join(scratch, NODE_REPORTER_FILE);
      const report = path.join(scratch, NODE_REPORT_FILE);
      // NODE_OPTIONS takes quoted values, but not every character: such a place runs the command as it is.
      // So does a command that names reporters without destinations: Node wants as many of each.
      const count = (option: string) => words.filter((word) => word.split('=')[0] === option).length;
      if (/["\\'\n]/.test(reporter) || count('--test-reporter') !== count('--test-reporter-destination')) {
        return plainCommand(withArgs([]), baseCommand, files, name);
      }
      writeFileSync(reporter, NODE_REPORTER_SOURCE);
      const options = [
        `--test-reporter="${reporter}"`,
        `--test-reporter-destination="${report}"`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
      ].join(' ');
      // Node reads options only before the file names, and a name pattern is not allowed in NODE_OPTIONS.
      const afterTest = words.slice(words.indexOf('--test') + 1);
      const nameFits = afterTest.every((word) => word.startsWith('-'));
      const args = [...(name && nameFits ? [`--test-name-pattern=${name}`] : []), ...files];
      return {
        runner,
        command: `NODE_OPTIONS=${shellQuote(options)} ${withArgs(args)}`,
        mergeStderr: true,
        read: async () => {
          const file = await readReportFile(scratch, NODE_REPORT_FILE);
          return file.kind !== 'text' || file.text.trim() === ''
            ? unreported(refusedOf(file))
            : { ...parseNodeTestReport(file.text, root), reported: true };
        },
        ...(name && !nameFits
          ? { note: `The test command names its test files, so node --test cannot filter by name; all of them ran.` }
          : {}),
      };
    }
    case 'mocha': {
      const report = path.join(scratch, 'mocha.json');
      return {
        runner,
        command: withArgs([
          ...files,
          ...(name ? ['--grep', name] : []),
          '--reporter',
          'json',
          '--reporter-option',
          `output=${report}`,
        ]),
        mergeStderr: true,
        read: async (result) => {
          const file = await readJson(scratch, 'mocha.json');
          const json = file.json ?? mochaJsonFromOutput(result.stdout);
          if (json !== undefined) return { ...parseMochaJson(json, root), reported: true, refused: file.refused };
          const buildErrors = mochaSyntaxErrors(root, result.stdout);
          return { ...unreported(file.refused), buildErrors, reported: buildErrors.length > 0 };
        },
      };
    }
    case 'bun':
    case 'deno': {
      const report = path.join(scratch, 'junit.xml');
      const args =
        runner === 'bun'
          ? [...files, ...(name ? ['-t', name] : []), '--reporter=junit', `--reporter-outfile=${report}`]
          : [...(name ? ['--filter', name] : []), `--junit-path=${report}`, ...files];
      return {
        runner,
        command: withArgs(args),
        mergeStderr: true,
        read: async (result) => {
          const file = await readReportFile(scratch, 'junit.xml');
          const xml = file.kind === 'text' ? file.text : undefined;
          const findings = xml === undefined ? unreported(refusedOf(file)) : parseJsJunit(xml, root);
          // A file that did not load, or threw outside its tests, is only in the output.
          const { buildErrors, failures } = jsOutputProblems(root, result.stdout);
          const totals = { ...findings.totals, errored: findings.totals.errored + failures.length };
          const reported = xml !== undefined || buildErrors.length + failures.length > 0;
          return {
            ...findings,
            totals,
            failures: [...findings.failures, ...failures],
            buildErrors,
            reported,
            refused: refusedOf(file),
          };
        },
      };
    }
    case 'pytest': {
      const report = path.join(scratch, 'junit.xml');
      return {
        runner,
        command: withArgs([
          ...files,
          ...(name ? ['-k', name] : []),
          '-o',
          'junit_family=xunit1',
          `--junitxml=${report}`,
          '--continue-on-collection-errors',
        ]),
        mergeStderr: true,
        read: async () => {
          const file = await readReportFile(scratch, 'junit.xml');
          return file.kind === 'text'
            ? { ...parseJunit([file.text], root, 'pytest'), reported: true }
            : unreported(refusedOf(file));
        },
      };
    }
    case 'cargo': {
      // Integration test files are their own targets: tests/api.rs is --test api.
      const integration = files.filter((file) => /^tests\/[^/]+\.rs$/.test(file));
      const targets = integration.flatMap((file) => ['--test', path.basename(file, '.rs')]);
      return {
        runner,
        command: withArgs(['--no-fail-fast', ...targets, ...(name ? [name] : [])]),
        mergeStderr: true,
        read: async (result) => {
          const findings = parseCargoOutput(result.stdout);
          const reported = findings.totals.passed + findings.totals.failed + findings.buildErrors.length > 0;
          return { ...findings, reported };
        },
        ...(files.length > integration.length ? { note: 'cargo selects unit tests by name, not by file.' } : {}),
      };
    }
    case 'go': {
      const collector = new GoTestCollector(root, await goModulePath(root));
      const packages = [...new Set(files.map((file) => `./${path.posix.dirname(file)}`.replace(/^\.\/\.$/, '.')))];
      const command = goCommand(withArgs([]), packages, name);
      return {
        runner,
        command,
        mergeStderr: false,
        onStdoutLine: (line) => collector.line(line),
        read: async (result) => {
          const findings = await collector.finish(result.stderr);
          const { passed, failed, errored, skipped } = findings.totals;
          return { ...findings, reported: passed + failed + errored + skipped + findings.buildErrors.length > 0 };
        },
      };
    }
    case 'maven':
    case 'gradle': {
      const classes = files.map((file) => path.basename(file).replace(/\.\w+$/, ''));
      const selection = [...classes, ...(name ? [name] : [])];
      const args =
        runner === 'maven'
          ? [
              '-B',
              ...(selection.length ? [`-Dtest=${selection.join(',')}`, '-Dsurefire.failIfNoSpecifiedTests=false'] : []),
            ]
          : selection.flatMap((item) => ['--tests', item]);
      return {
        runner,
        command: withArgs(args),
        mergeStderr: true,
        read: async (result) => {
          const { reports, refused } = await freshReports(
            root,
            runner === 'maven' ? 'surefire-reports' : 'test-results',
            context.startedAt,
          );
          const findings = parseJunit(reports, root, 'java');
          const buildErrors = javaCompilerErrors(root, result.stdout);
          return { ...findings, buildErrors, reported: reports.length > 0 || buildErrors.length > 0, refused };
        },
      };
    }
    case 'command':
      return plainCommand(withArgs([]), baseCommand, files, name);
  }
}

/** A command judged by its exit code alone. */
function plainCommand(command: string, baseCommand: string, files: string[], name: string | undefined): TestPlan {
  return {
    runner: 'command',
    command,
    mergeStderr: true,
    read: async () => unreported(),
    ...(files.length || name
      ? { note: `The test command "${baseCommand}" is not one whose tests can be selected; the whole suite ran.` }
      : {}),
  };
}

/** "go test ./..." with -json, and the packages of the chosen files instead of the command's own. */
function goCommand(base: string, packages: string[], name: string | undefined): string {
  const words = base.split(/\s+/);
  const at = words.findIndex((word, i) => word === 'test' && words[i - 1]?.endsWith('go'));
  const head = words.slice(0, at + 1);
  const rest = words.slice(at + 1);
  const flags = rest.filter((word) => word.startsWith('-'));
  const targets = packages.length ? packages : rest.filter((word) => !word.startsWith('-'));
  return [...head, '-json', ...flags, ...(name ? ['-run', shellQuote(name)] : []), ...targets].join(' ');
}

function unreported(refused: string[] = []): Findings {
  return { totals: emptyTotals(), failures: [], buildErrors: [], reported: false, refused };
}

function refusedOf(file: { kind: string; why?: string }): string[] {
  return file.kind === 'refused' && file.why ? [file.why] : [];
}

/** A JSON report in the scratch directory; json undefined when missing, refused or not JSON. */
async function readJson(scratch: string, name: string): Promise<{ json?: unknown; refused: string[] }> {
  const file = await readReportFile(scratch, name);
  if (file.kind !== 'text') return { refused: refusedOf(file) };
  try {
    return { json: JSON.parse(file.text), refused: [] };
  } catch {
    return { refused: [] };
  }
}

/** All JUnit reports of one run together, at most: a command cannot make the agent hold more. */
const MAX_JAVA_REPORT_BYTES = 2 * MAX_REPORT_BYTES;

/**
 * JUnit files under every directory with this name (target/surefire-reports, build/test-results) written by this run.
 * The command could have written anything there: each directory is opened from its parent held open and each file
 * read without following links (a link out, a FIFO or a device is refused, and said so).
 */
async function freshReports(
  root: string,
  dirName: string,
  since: number,
): Promise<{ reports: string[]; refused: string[] }> {
  const reports: string[] = [];
  const refused: string[] = [];
  let total = 0;
  const walk = async (dir: AnchoredDir, relative: string, depth: number, inside: boolean): Promise<void> => {
    if (depth > 8) return;
    const entries = await readdir(dir.here(), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const shown = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name === '.git') continue;
        // Not a directory any more (a link swapped in since the listing): skipped.
        const child = await openAnchoredDir(dir.here(), entry.name).catch(() => undefined);
        if (!child) continue;
        try {
          await walk(child, shown, depth + 1, inside || entry.name === dirName);
        } finally {
          await child.close();
        }
      } else if (inside && entry.name.endsWith('.xml')) {
        if (total >= MAX_JAVA_REPORT_BYTES) {
          refused.push(`${shown} (the reports read so far already hold ${formatBytes(total)})`);
          continue;
        }
        // Each file within one report's cap, and all of them within the run's.
        const cap = Math.min(MAX_REPORT_BYTES, MAX_JAVA_REPORT_BYTES - total);
        const file = await readReportFile(dir.here(), entry.name, cap);
        if (file.kind === 'refused') refused.push(`${relative}/${file.why}`);
        // A second of slack: some file systems keep coarse modification times.
        if (file.kind === 'text' && file.mtimeMs >= since - 1000) {
          total += Buffer.byteLength(file.text);
          reports.push(file.text);
        }
      }
    }
  };
  const top = await openAnchoredDir(root, '.');
  try {
    await walk(top, '', 0, false);
  } finally {
    await top.close();
  }
  return { reports, refused };
}

/** javac ("/a/B.java:12: error: …"), Maven ("[ERROR] /a/B.java:[12,5] …") and kotlinc ("e: file:///a/B.kt:12:5 …"). */
function javaCompilerErrors(root: string, output: string): BuildError[] {
  const errors: BuildError[] = [];
  for (const line of output.split('\n')) {
    const maven = /^\[ERROR\] (\S+\.(?:java|kt)):\[(\d+),(\d+)\] (.*)$/.exec(line);
    const javac = /^(\S+\.java):(\d+): error: (.*)$/.exec(line);
    const kotlin = /^e: (\S+\.kt):(\d+):(\d+) (.*)$/.exec(line);
    if (maven) {
      errors.push({
        file: relativeToRoot(root, maven[1]!),
        line: Number(maven[2]),
        column: Number(maven[3]),
        message: maven[4]!,
      });
    } else if (javac) {
      errors.push({ file: relativeToRoot(root, javac[1]!), line: Number(javac[2]), message: javac[3]! });
    } else if (kotlin) {
      errors.push({
        file: relativeToRoot(root, kotlin[1]!),
        line: Number(kotlin[2]),
        column: Number(kotlin[3]),
        message: kotlin[4]!,
      });
    }
  }
  return errors;
}
