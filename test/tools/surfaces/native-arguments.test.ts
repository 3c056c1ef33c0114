import { describe, expect, it } from 'vitest';
import {
  execArguments,
  openFileArguments,
  patchArguments,
  searchArguments,
  treeArguments,
} from '../../../tools/surfaces/native-arguments.js';
import { commandLine, isTestCommand } from '../../../tools/surfaces/exec-command.js';

describe('native argument spellings', () => {
  it.each([
    [
      { path: 'a.ts', line_start: 3, line_end: 9 },
      { path: 'a.ts', line_start: 3, line_end: 9 },
    ],
    [{ file_path: 'a.ts' }, { path: 'a.ts' }],
    [
      { file_path: 'a.ts', start_line: 2, end_line: 4 },
      { path: 'a.ts', line_start: 2, line_end: 4 },
    ],
    [
      { path: 'a.ts', start_line: 2 },
      { path: 'a.ts', line_start: 2 },
    ],
    ['a.ts', { path: 'a.ts' }],
  ])('open_file %j → %j', (given, expected) => {
    expect(openFileArguments(given)).toEqual(expected);
  });

  it.each([
    [
      { path: 'src', query: 'foo' },
      { path: 'src', query: 'foo' },
    ],
    [
      { path: 'src', pattern: 'foo' },
      { path: 'src', query: 'foo' },
    ],
    [
      { query: 'foo', max_results: 5 },
      { path: '.', query: 'foo', max_results: 5 },
    ],
  ])('search %j → %j', (given, expected) => {
    expect(searchArguments(given)).toEqual(expected);
  });

  it.each([
    [{}, { path: '.', depth: 2 }],
    [{ path: '' }, { path: '.', depth: 2 }],
    [
      { path: 'src', depth: 4 },
      { path: 'src', depth: 4 },
    ],
  ])('print_tree %j → %j', (given, expected) => {
    expect(treeArguments(2)(given)).toEqual(expected);
  });

  it('list_dir defaults to depth 1', () => {
    expect(treeArguments(1)({ path: 'src' })).toEqual({ path: 'src', depth: 1 });
  });

  it.each([
    [{ patch: 'P' }, { patch: 'P' }],
    [{ input: 'P' }, { patch: 'P' }],
    ['*** Begin Patch', { patch: '*** Begin Patch' }],
  ])('apply_patch %j → %j', (given, expected) => {
    expect(patchArguments(given)).toEqual(expected);
  });

  it.each([
    [{ command: ['bash', '-lc', 'ls'] }, { command: ['bash', '-lc', 'ls'] }],
    [{ cmd: ['ls', '-la'] }, { command: ['ls', '-la'] }],
    [{ commands: ['bash', '-lc', 'ls'] }, { command: ['bash', '-lc', 'ls'] }],
    [{ command: 'npm test' }, { command: ['bash', '-lc', 'npm test'] }],
    ['git status', { command: ['bash', '-lc', 'git status'] }],
    [
      { command: ['ls'], timeout: 30000, cwd: 'src' },
      { command: ['ls'], workdir: 'src' },
    ],
  ])('exec %j → %j', (given, expected) => {
    expect(execArguments(given)).toEqual(expected);
  });
});

describe('container.exec command lines', () => {
  it.each([
    [['bash', '-lc', 'npm test && echo "done"'], 'npm test && echo "done"'],
    [['/bin/sh', '-c', 'ls | wc -l'], 'ls | wc -l'],
    [['ls', '-la', 'src'], 'ls -la src'],
    [['grep', '-rn', "it's here", '.'], "grep -rn 'it'\\''s here' ."],
    [['echo', '$(rm -rf /)'], "echo '$(rm -rf /)'"],
    [['bash', '-lc', 'echo a', 'extra'], "bash -lc 'echo a' extra"],
  ])('%j → %s', (argv, expected) => {
    expect(commandLine(argv)).toBe(expected);
  });

  it.each([
    ['npm test', 'npm test', true],
    ['  npm   test ', 'npm test', true],
    ['cd . && python3 -m pytest', 'python3 -m pytest', true],
    ['npm test -- --watch', 'npm test', false],
    ['npm test; rm -rf .', 'npm test', false],
  ])('%s runs the tests of %s: %s', (command, testCommand, expected) => {
    expect(isTestCommand(command, testCommand)).toBe(expected);
  });
});
