// Reads `cargo test` output, which has no stable machine-readable form:
// compiler errors (error[E…]: … / --> file:line:col), one "test NAME ... ok"
// line per test under each "Running <target>" header, and a "---- NAME
// stdout ----" section per failure with the panic message and place, in
// both the old (Rust before 1.73) and the new panic format.
import { excerpt } from './locations.js';
import { emptyTotals, type BuildError, type RunnerFindings, type TestFailure } from './report.js';

const RUNNING = /^\s*Running (?:unittests )?(\S+)(?: \((\S+)\))?\s*$/;
const DOC_TESTS = /^\s*Doc-tests (\S+)/;
const RESULT = /^test (\S.*?) \.\.\. ?(ok|FAILED|ignored(?:, .*)?)?\s*$/;
const SECTION = /^---- (\S.*?) stdout ----$/;
const COMPILER = /^error(?:\[E\d+\])?: (.*)$/;
const LOCATION = /^\s*--> (\S+?):(\d+):(\d+)$/;

export function parseCargoOutput(output: string): RunnerFindings {
  const lines = output.split('\n');
  const totals = emptyTotals();
  const failures: TestFailure[] = [];
  const buildErrors: BuildError[] = [];
  const started = new Map<string, string>(); // id → status ('' while running)
  const sections = new Map<string, string[]>(); // id → its captured output
  let target = '';
  let section: string[] | undefined;
  let crashed = false;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const running = RUNNING.exec(line) ?? DOC_TESTS.exec(line);
    if (running) {
      target = line.includes('Doc-tests') ? `doc-tests ${running[1]}` : running[1]!;
      section = undefined;
      continue;
    }
    const sectionStart = SECTION.exec(line);
    if (sectionStart) {
      section = [];
      sections.set(`${target} › ${sectionStart[1]}`, section);
      continue;
    }
    if (line === 'failures:' || line.startsWith('test result:')) section = undefined;
    if (section) {
      section.push(line);
      continue;
    }
    const result = RESULT.exec(line);
    if (result) {
      started.set(`${target} › ${result[1]}`, result[2] ?? '');
      continue;
    }
    const compiler = COMPILER.exec(line);
    if (compiler && !/^(test failed|could not compile|aborting due to|\d+ targets? failed)/.test(compiler[1]!)) {
      const place = LOCATION.exec(lines[i + 1] ?? '');
      if (place) {
        buildErrors.push({ file: place[1]!, line: Number(place[2]), column: Number(place[3]), message: compiler[1]! });
      } else if (!/^\d+ previous error/.test(compiler[1]!)) {
        buildErrors.push({ message: compiler[1]! });
      }
      continue;
    }
    if (/process didn't exit successfully: .*\(signal: \d+/.test(line)) crashed = true;
  }

  for (const [id, status] of started) {
    if (status === 'ok') totals.passed++;
    else if (status.startsWith('ignored')) totals.skipped++;
    else if (status === 'FAILED') {
      totals.failed++;
      failures.push(failureOf(id, sections.get(id) ?? []));
    } else {
      // Started, never finished: the test binary died under it.
      totals.errored++;
      failures.push({ id, kind: 'errored', message: 'the test binary died while this test ran' });
    }
  }
  return { totals, failures, buildErrors, crashed, notRun: [] };
}

function failureOf(id: string, lines: readonly string[]): TestFailure {
  const text = lines.join('\n');
  // New: "thread 'name' (12) panicked at src/lib.rs:15:9:\nmessage"; old: "panicked at 'message', src/lib.rs:15:9".
  const modern = /panicked at (\S+?):(\d+):(\d+):\n([^\n]*)/.exec(text);
  const legacy = /panicked at '([\s\S]*?)', (\S+?):(\d+):(\d+)/.exec(text);
  const place = modern
    ? { file: modern[1]!, line: Number(modern[2]), column: Number(modern[3]), message: modern[4]!.trim() }
    : legacy
      ? { file: legacy[2]!, line: Number(legacy[3]), column: Number(legacy[4]), message: legacy[1]!.split('\n')[0]! }
      : undefined;
  const cleaned = lines.filter((line) => !/^\s+(\d+: |at \/rustc\/|at \/)|^note: |^stack backtrace:/.test(line));
  return {
    id,
    kind: 'failed',
    ...(place ? { file: place.file, line: place.line, column: place.column } : {}),
    message: place?.message || 'failed',
    excerpt: excerpt('/', cleaned.join('\n'), 10),
  };
}
