import { describe, expect, it } from 'vitest';
import { headlessRefusalHint } from '../../src/modes/headless-refusals.js';
import type { ApprovalRequest } from '../../tools/tool.js';

const edit: ApprovalRequest = { tool: 'apply_patch', kind: 'edit', title: 'Edit a.ts' };
const commit: ApprovalRequest = { tool: 'git', kind: 'edit', title: 'Commit', commit: { message: 'Fix' } };
const tests: ApprovalRequest = { tool: 'run_tests', kind: 'exec', title: 'Run', command: 'npm test', sandboxed: true };
const lint: ApprovalRequest = { tool: 'shell', kind: 'exec', title: 'Run', command: 'npm run lint', sandboxed: true };
const bare: ApprovalRequest = { ...lint, sandboxed: false };

describe('headlessRefusalHint', () => {
  it('says nothing when nothing was refused', () => {
    expect(headlessRefusalHint([], 'suggest')).toBeUndefined();
  });

  it('names auto-edit for edits and test runs in suggest mode', () => {
    expect(headlessRefusalHint([edit, tests, edit], 'suggest')).toBe(
      'Not allowed because this run cannot ask for approval: 2 edits, 1 command.\n' +
        'Re-run with --approval auto-edit to apply edits and run the tests without asking.',
    );
  });

  it('names full-auto and the whole command as an allow rule for other commands, never the mode already given', () => {
    const hint = headlessRefusalHint([lint], 'auto-edit')!;
    expect(hint).toBe(
      'Not allowed because this run cannot ask for approval: 1 command.\n' +
        'Re-run with --approval full-auto to apply edits and run commands in the sandbox without asking, ' +
        'or allow that command with "allow": ["npm run lint"] in the config.',
    );
    expect(hint).not.toContain('auto-edit');
  });

  it('names full-auto for a commit and offers no allow rule for it', () => {
    expect(headlessRefusalHint([commit], 'auto-edit')).toBe(
      'Not allowed because this run cannot ask for approval: 1 commit.\n' +
        'Re-run with --approval full-auto to apply edits and run commands in the sandbox without asking.',
    );
  });

  it('says a command outside the sandbox needs a terminal, whatever the mode', () => {
    expect(headlessRefusalHint([bare], 'full-auto')).toBe(
      'Not allowed because this run cannot ask for approval: 1 command.\n' +
        'Commands outside the sandbox always ask: run it on a terminal to answer.',
    );
  });

  it('quotes no command that would not survive as a JSON string', () => {
    const hint = headlessRefusalHint([{ ...lint, command: 'echo "a" \\ b' }], 'suggest')!;
    expect(hint).not.toContain('"allow"');
  });
});
