// The text and XML formats no local toolchain here produces: cargo's output
// before Rust 1.73 (Debian's cargo prints it), a test binary that dies, and
// Maven Surefire's JUnit reports.
import { describe, expect, it } from 'vitest';
import { parseCargoOutput } from '../../../tools/test-runners/cargo-text.js';
import { parseJunit } from '../../../tools/test-runners/junit-xml.js';
import { parseXml } from '../../../tools/test-runners/xml.js';

const legacyCargo = `   Compiling calc v0.1.0 (/work/calc)
    Finished test [unoptimized + debuginfo] target(s) in 0.52s
     Running unittests src/lib.rs (target/debug/deps/calc-4f1c)

running 2 tests
test tests::multiplies ... ok
test tests::adds ... FAILED

failures:

---- tests::adds stdout ----
thread 'tests::adds' panicked at 'assertion failed: \`(left == right)\`
  left: \`-1\`,
 right: \`5\`', src/lib.rs:15:9
note: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace


failures:
    tests::adds

test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

error: test failed, to rerun pass '--lib'
`;

describe('cargo output', () => {
  it('reads the panic format of Rust before 1.73', () => {
    const findings = parseCargoOutput(legacyCargo);
    expect(findings.totals).toMatchObject({ passed: 1, failed: 1 });
    expect(findings.buildErrors).toEqual([]);
    expect(findings.failures).toEqual([
      expect.objectContaining({
        id: 'src/lib.rs › tests::adds',
        file: 'src/lib.rs',
        line: 15,
        column: 9,
        message: 'assertion failed: `(left == right)`',
      }),
    ]);
  });

  it('reports a test binary that died under a test as a crash', () => {
    const findings = parseCargoOutput(
      '     Running unittests src/lib.rs (target/debug/deps/calc-1)\n\nrunning 2 tests\ntest tests::ok ... ok\ntest tests::overflow ... \n' +
        "error: test failed, to rerun pass `--lib`\n\nCaused by:\n  process didn't exit successfully: `/w/target/debug/deps/calc-1` (signal: 6, SIGABRT: process abort signal)\n",
    );
    expect(findings.crashed).toBe(true);
    expect(findings.failures).toEqual([
      { id: 'src/lib.rs › tests::overflow', kind: 'errored', message: 'the test binary died while this test ran' },
    ]);
  });
});

describe('JUnit reports from Maven Surefire', () => {
  it('names tests Class#method and reads expected and actual', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.example.CalcTest" tests="3" failures="1" errors="1" skipped="0">
  <testcase name="adds" classname="com.example.CalcTest" time="0.01">
    <failure message="expected: &lt;5&gt; but was: &lt;-1&gt;" type="org.opentest4j.AssertionFailedError"><![CDATA[org.opentest4j.AssertionFailedError: expected: <5> but was: <-1>
	at org.junit.jupiter.api.AssertionUtils.fail(AssertionUtils.java:55)
	at com.example.CalcTest.adds(CalcTest.java:12)
]]></failure>
  </testcase>
  <testcase name="multiplies" classname="com.example.CalcTest" time="0"/>
  <testcase name="divides" classname="com.example.CalcTest" time="0">
    <error message="/ by zero" type="java.lang.ArithmeticException">java.lang.ArithmeticException: / by zero
	at com.example.CalcTest.divides(CalcTest.java:20)</error>
  </testcase>
</testsuite>`;
    const findings = parseJunit([xml], '/w', 'java');
    expect(findings.totals).toMatchObject({ passed: 1, failed: 1, errored: 1 });
    expect(findings.failures).toEqual([
      expect.objectContaining({
        id: 'com.example.CalcTest#adds',
        kind: 'failed',
        file: 'CalcTest.java',
        line: 12,
        expected: '5',
        actual: '-1',
      }),
      expect.objectContaining({ id: 'com.example.CalcTest#divides', kind: 'errored', line: 20, message: '/ by zero' }),
    ]);
  });

  it('rejects XML that is cut off', () => {
    expect(() => parseXml('<testsuite><testcase name="a">')).toThrow(/is never closed/);
  });
});
