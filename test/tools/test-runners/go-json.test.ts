// `go test -json` as the tested code can shape it: what a test prints is the
// tested code's to write.
import { describe, expect, it } from 'vitest';
import { GoTestCollector } from '../../../tools/test-runners/go-json.js';

describe('go test -json', () => {
  it('finds where t.Errorf reported, and does not hang on a long run of blank lines where nothing did', async () => {
    // `^\s+` tried from each of 400,000 blank lines took minutes. A hang is the failure.
    const collector = new GoTestCollector('/srv/proj', 'example.com/m');
    const event = (fields: Record<string, string>) =>
      collector.line(JSON.stringify({ Package: 'example.com/m/calc', Test: 'TestAdd', ...fields }));
    event({ Action: 'run' });
    event({ Action: 'output', Output: '    add_test.go:12: got -1, want 5\n' });
    for (let i = 0; i < 1000; i++) event({ Action: 'output', Output: '\n' });
    event({ Action: 'fail' });
    const findings = await collector.finish('');
    expect(findings.failures).toEqual([
      expect.objectContaining({ file: 'calc/add_test.go', line: 12, message: 'got -1, want 5' }),
    ]);
    // Where nothing reported a place, the search runs past every one of those lines (go prints a line an event).
    const quiet = new GoTestCollector('/srv/proj', 'example.com/m');
    const line = (fields: Record<string, string>) =>
      quiet.line(JSON.stringify({ Package: 'example.com/m', Test: 'TestQuiet', ...fields }));
    line({ Action: 'run' });
    line({ Action: 'output', Output: 'boom\n' });
    for (let i = 0; i < 400_000; i++) line({ Action: 'output', Output: '\n' });
    line({ Action: 'fail' });
    const [failure] = (await quiet.finish('')).failures;
    expect(failure).toMatchObject({ id: 'example.com/m › TestQuiet', message: expect.stringContaining('boom') });
    expect(failure).not.toHaveProperty('file');
  });
});
