import { describe, expect, it } from 'vitest';
import { NATIVE_ALIASES, resolveToolName } from '../../../tools/surfaces/resolve-name.js';

const NATIVE = new Set([
  'repo_browser.print_tree',
  'repo_browser.list_dir',
  'repo_browser.search',
  'repo_browser.open_file',
  'repo_browser.apply_patch',
  'container.exec',
  'symbols',
  'run_tests',
  'git',
]);

describe('resolveToolName on the native surface', () => {
  it.each([
    ['repo_browser.open_file', 'repo_browser.open_file'],
    ['functions.repo_browser.open_file', 'repo_browser.open_file'],
    ['functions.symbols', 'symbols'],
    ['run_tests', 'run_tests'],
    ['read_file', 'repo_browser.open_file'],
    ['open', 'repo_browser.open_file'],
    ['functions.read_file', 'repo_browser.open_file'],
    ['repo_browser.read_file', 'repo_browser.open_file'],
    ['list_files', 'repo_browser.list_dir'],
    ['list_directory', 'repo_browser.list_dir'],
    ['ls', 'repo_browser.list_dir'],
    ['find', 'repo_browser.search'],
    ['grep', 'repo_browser.search'],
    ['rg', 'repo_browser.search'],
    ['shell', 'container.exec'],
    ['bash', 'container.exec'],
    ['exec', 'container.exec'],
    ['apply_patch', 'repo_browser.apply_patch'],
    ['functions.apply_patch', 'repo_browser.apply_patch'],
    ['repo_browser.apply_patch', 'repo_browser.apply_patch'],
    ['applypatch', 'repo_browser.apply_patch'],
    // Harmony debris around the name.
    ['repo_browser.open_file<|channel|>commentary', 'repo_browser.open_file'],
    ['shelljson', 'container.exec'],
    ['container.exec json', 'container.exec'],
    ['container.execjson', 'container.exec'],
    ['to=repo_browser.search', 'repo_browser.search'],
    ['repo_browser__open_file', 'repo_browser.open_file'],
    ['functions.container__exec', 'container.exec'],
    [' repo_browser.print_tree <|constrain|>json', 'repo_browser.print_tree'],
  ])('%s → %s', (written, expected) => {
    expect(resolveToolName(written, NATIVE, NATIVE_ALIASES)).toBe(expected);
  });

  it.each(['open_files', 'python', 'browser.search', '', '<|channel|>commentary', 'constructor', 'toString'])(
    '%s is not a tool',
    (written) => {
      expect(resolveToolName(written, NATIVE, NATIVE_ALIASES)).toBeUndefined();
    },
  );

  it('never maps to a tool the surface does not offer (a read-only set has no exec)', () => {
    const readOnly = new Set(['repo_browser.open_file', 'repo_browser.search']);
    expect(resolveToolName('shell', readOnly, NATIVE_ALIASES)).toBeUndefined();
    expect(resolveToolName('apply_patch', readOnly, NATIVE_ALIASES)).toBeUndefined();
  });
});

describe('resolveToolName on the functions surface (no aliases)', () => {
  const FUNCTIONS = new Set(['read_file', 'grep', 'shell', 'apply_patch']);
  it.each([
    ['read_file', 'read_file'],
    ['functions.grep', 'grep'],
    ['shelljson', 'shell'],
    ['apply_patch<|channel|>commentary', 'apply_patch'],
  ])('%s → %s', (written, expected) => {
    expect(resolveToolName(written, FUNCTIONS)).toBe(expected);
  });

  it('maps no alias: open_file is not read_file there', () => {
    expect(resolveToolName('open_file', FUNCTIONS)).toBeUndefined();
  });
});
