import { expect, it } from 'vitest';
import { approvalLabel } from '../../src/modes/approval-label.js';

it('shows the mode, and what "always" answers added to it', () => {
  expect(approvalLabel('suggest', [])).toBe('suggest');
  expect(approvalLabel('suggest', [{ kind: 'edit' }])).toBe('suggest + edits allowed');
  expect(
    approvalLabel('auto-edit', [
      { kind: 'exec', prefix: 'npm test' },
      { kind: 'commit' },
      { kind: 'exec', prefix: 'go test' },
      { kind: 'tool', tool: 'run_tests' },
    ]),
  ).toBe('auto-edit + commits, 2 command rules, run_tests allowed');
});
