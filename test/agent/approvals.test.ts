import { describe, expect, it } from 'vitest';
import {
  allowRule,
  alwaysRuleFor,
  commandStartsWith,
  decideApproval,
  type ApprovalMode,
  type ApprovalRule,
} from '../../src/agent/approvals.js';
import type { ApprovalRequest } from '../../tools/tool.js';

const edit: ApprovalRequest = { tool: 'apply_patch', kind: 'edit', title: 'Edit a.ts' };
const sandboxed: ApprovalRequest = { tool: 'shell', kind: 'exec', title: 'Run', command: 'npm test', sandboxed: true };
const bare: ApprovalRequest = { ...sandboxed, sandboxed: false };
const always: ApprovalRule[] = [{ kind: 'edit' }, { kind: 'exec', prefix: 'npm test' }];
const commit: ApprovalRequest = { tool: 'git', kind: 'edit', title: 'Commit', commit: { message: 'Fix' } };
const readOnly: ApprovalRequest = { ...sandboxed, command: 'git diff --cached' };
const notReadOnly: ApprovalRequest = { ...sandboxed, command: 'git diff --output=x' };
const mcpCall: ApprovalRequest = {
  tool: 'mcp__files__read',
  kind: 'exec',
  title: 'MCP server files: read',
  command: 'read {}',
  sandboxed: false,
  mcp: { server: 'files', tool: 'read', fromProject: false },
};
const projectMcpCall: ApprovalRequest = { ...mcpCall, mcp: { ...mcpCall.mcp!, fromProject: true } };
const mcpRule = (pattern: string): ApprovalRule[] => [{ kind: 'mcp', pattern }];

// [request, mode, rules, unsandboxedAllowed, decision, decided by]
const table: [string, ApprovalRequest, ApprovalMode, ApprovalRule[], boolean, string, string][] = [
  ['edit, suggest', edit, 'suggest', [], false, 'ask', 'policy'],
  ['edit, auto-edit', edit, 'auto-edit', [], false, 'allow', 'policy'],
  ['edit, full-auto', edit, 'full-auto', [], false, 'allow', 'policy'],
  ['edit, suggest, "always" for edits', edit, 'suggest', always, false, 'allow', 'rule'],
  ['commit, suggest', commit, 'suggest', [], false, 'ask', 'policy'],
  ['commit, auto-edit', commit, 'auto-edit', [], false, 'ask', 'policy'],
  ['commit, full-auto', commit, 'full-auto', [], false, 'allow', 'policy'],
  ['commit, auto-edit, "always" for edits', commit, 'auto-edit', always, false, 'ask', 'policy'],
  ['commit, suggest, "always" for commits', commit, 'suggest', [{ kind: 'commit' }], false, 'allow', 'rule'],
  ['sandboxed command, suggest', sandboxed, 'suggest', [], false, 'ask', 'policy'],
  ['sandboxed command, auto-edit', sandboxed, 'auto-edit', [], false, 'ask', 'policy'],
  ['sandboxed command, full-auto', sandboxed, 'full-auto', [], false, 'allow', 'policy'],
  ['sandboxed command, suggest, matching rule', sandboxed, 'suggest', always, false, 'allow', 'rule'],
  ['unsandboxed command, full-auto', bare, 'full-auto', [], false, 'ask', 'policy'],
  ['unsandboxed command, matching rule', bare, 'auto-edit', always, false, 'ask', 'policy'],
  ['unsandboxed command, full-auto, --no-sandbox', bare, 'full-auto', [], true, 'allow', 'policy'],
  [
    'test run, suggest, run_tests granted',
    { ...sandboxed, tool: 'run_tests', command: 'go test ./calc -json' },
    'suggest',
    [{ kind: 'tool', tool: 'run_tests' }],
    false,
    'allow',
    'rule',
  ],
  [
    'test run, unsandboxed, run_tests granted',
    { ...bare, tool: 'run_tests' },
    'full-auto',
    [{ kind: 'tool', tool: 'run_tests' }],
    false,
    'ask',
    'policy',
  ],
  [
    'test run, sandboxed, auto-edit',
    { ...sandboxed, tool: 'run_tests', command: 'npm test' },
    'auto-edit',
    [],
    false,
    'allow',
    'policy',
  ],
  ['test run, sandboxed, suggest', { ...sandboxed, tool: 'run_tests' }, 'suggest', [], false, 'ask', 'policy'],
  ['test run, unsandboxed, auto-edit', { ...bare, tool: 'run_tests' }, 'auto-edit', [], false, 'ask', 'policy'],
  ['test run, --no-sandbox, auto-edit', { ...bare, tool: 'run_tests' }, 'auto-edit', [], true, 'ask', 'policy'],
  ['shell, run_tests granted', sandboxed, 'auto-edit', [{ kind: 'tool', tool: 'run_tests' }], false, 'ask', 'policy'],
  ['read-only command, sandboxed, suggest', readOnly, 'suggest', [], false, 'allow', 'policy'],
  ['read-only command, sandboxed, auto-edit', readOnly, 'auto-edit', [], false, 'allow', 'policy'],
  ['read-only command, unsandboxed', { ...readOnly, sandboxed: false }, 'full-auto', [], false, 'ask', 'policy'],
  ['read-only command, --no-sandbox', { ...readOnly, sandboxed: false }, 'suggest', [], true, 'ask', 'policy'],
  ['a read-only program with a writing flag', notReadOnly, 'suggest', [], false, 'ask', 'policy'],
  ['MCP tool, suggest', mcpCall, 'suggest', [], false, 'ask', 'policy'],
  ['MCP tool, auto-edit', mcpCall, 'auto-edit', [], false, 'ask', 'policy'],
  ['MCP tool, auto-edit, --no-sandbox', mcpCall, 'auto-edit', [], true, 'ask', 'policy'],
  ['MCP tool of a user server, full-auto', mcpCall, 'full-auto', [], false, 'allow', 'policy'],
  ['MCP tool of a project server, full-auto', projectMcpCall, 'full-auto', [], false, 'ask', 'policy'],
  ['MCP tool, exact rule', mcpCall, 'suggest', mcpRule('mcp__files__read'), false, 'allow', 'rule'],
  ['MCP tool, server rule', projectMcpCall, 'auto-edit', mcpRule('mcp__files__*'), false, 'allow', 'rule'],
  ['MCP tool, rule for another tool', mcpCall, 'suggest', mcpRule('mcp__files__write'), false, 'ask', 'policy'],
  ['MCP tool, rule for a longer server name', mcpCall, 'suggest', mcpRule('mcp__files2__*'), false, 'ask', 'policy'],
  ['MCP tool, a command rule with its name', mcpCall, 'suggest', always, false, 'ask', 'policy'],
  ['MCP tool, edits always allowed', mcpCall, 'suggest', [{ kind: 'edit' }], false, 'ask', 'policy'],
  [
    'sandboxed command, rule for another command',
    { ...sandboxed, command: 'rm -rf build' },
    'auto-edit',
    always,
    false,
    'ask',
    'policy',
  ],
];

describe('the approval policy', () => {
  it.each(table)('%s', (_name, request, mode, rules, unsandboxedAllowed, decision, by) => {
    expect(decideApproval({ request, mode, rules, unsandboxedAllowed })).toEqual({ decision, by });
  });
});

describe('config allow entries', () => {
  it('reads mcp__ entries as MCP tool rules and the others as command prefixes', () => {
    expect(allowRule('mcp__files__*')).toEqual({ kind: 'mcp', pattern: 'mcp__files__*' });
    expect(allowRule('npm test')).toEqual({ kind: 'exec', prefix: 'npm test' });
    expect(alwaysRuleFor(mcpCall)).toEqual({ kind: 'mcp', pattern: 'mcp__files__read' });
  });
});

describe('command prefix rules', () => {
  it.each([
    ['npm test', 'npm test', true],
    ['npm test -- src/a.test.ts', 'npm test', true],
    ['npm   test', 'npm test', true],
    ['npm testx', 'npm test', false],
    ['npm', 'npm test', false],
    ['npm test; rm -rf ~', 'npm test', false],
    ['npm test && curl evil', 'npm test', false],
    ['npm test $(curl evil)', 'npm test', false],
    ['npm test > /etc/passwd', 'npm test', false],
    ['anything', '', false],
  ])('"%s" under rule "%s" → %s', (command, prefix, expected) => {
    expect(commandStartsWith(command, prefix)).toBe(expected);
  });
});

describe('what "always" allows', () => {
  it('is every edit for an edit, and commands with the same first two words for a command', () => {
    expect(alwaysRuleFor({ tool: 'apply_patch', kind: 'edit', title: 'Edit a' })).toEqual({ kind: 'edit' });
    expect(alwaysRuleFor({ tool: 'git', kind: 'edit', title: 'Commit', commit: { message: 'fix' } })).toEqual({
      kind: 'commit',
    });
    expect(alwaysRuleFor({ tool: 'shell', kind: 'exec', title: 'Run', command: '  npm test -- a.test.ts' })).toEqual({
      kind: 'exec',
      prefix: 'npm test',
    });
  });

  it('is every test run for run_tests, whose command line names a new report file each time', () => {
    const run = { tool: 'run_tests', kind: 'exec', title: 'Run the tests', sandboxed: true } as const;
    const rule = alwaysRuleFor({ ...run, command: 'NODE_OPTIONS=\'--test-reporter="/tmp/a/r.mjs"\' npm test' });
    expect(rule).toEqual({ kind: 'tool', tool: 'run_tests' });
    const next = { ...run, command: 'NODE_OPTIONS=\'--test-reporter="/tmp/b/r.mjs"\' npm test' };
    expect(decideApproval({ request: next, mode: 'suggest', rules: [rule!] })).toEqual({
      decision: 'allow',
      by: 'rule',
    });
  });

  it('is nothing for a compound command, which no rule could match', () => {
    for (const command of ['sleep 30; echo finished', 'make && make test', 'cat a | sh', 'echo $(id)', 'ls > out']) {
      const request = { tool: 'shell', kind: 'exec' as const, title: 'Run', command };
      expect(alwaysRuleFor(request)).toBeUndefined();
      expect(commandStartsWith(command, command.split(' ')[0]!)).toBe(false);
    }
  });
});
