// jest's and vitest's JSON report, as the tested code can shape it: the
// failure messages are the tested code's to write.
import { describe, expect, it } from 'vitest';
import { parseJestJson } from '../../../tools/test-runners/jest-json.js';

describe('jest and vitest JSON reports', () => {
  it('read expected and received after a long run of blank lines without hanging', () => {
    // `^\s*Expected:` tried from each of 400,000 blank lines took minutes. A hang is the failure.
    const message = `boom${'\n'.repeat(400_000)}Expected: 5\nReceived: -1\n`;
    const report = {
      testResults: [
        {
          name: '/srv/proj/a.test.ts',
          status: 'failed',
          assertionResults: [{ ancestorTitles: [], title: 't', status: 'failed', failureMessages: [message] }],
        },
      ],
    };
    const findings = parseJestJson(report, '/srv/proj');
    expect(findings.totals.failed).toBe(1);
    expect(findings.failures[0]).toMatchObject({ id: 'a.test.ts › t', expected: '5', actual: '-1' });
  });
});
