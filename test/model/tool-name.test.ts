import { describe, expect, it } from 'vitest';
import { cleanToolName, knownToolNames } from '../../src/model/tool-name.js';

const KNOWN = knownToolNames(
  [{ name: 'read_file' }, { name: 'shell' }],
  [{ name: 'repo_browser', tools: [{ name: 'open_file' }] }],
);

describe('cleanToolName', () => {
  it.each([
    ['functions.read_file', 'read_file'],
    ['read_file<|channel|>commentary', 'read_file'],
    ['functions.read_file<|constrain|>json', 'read_file'],
    ['functions.read_file json', 'read_file'],
    ['to=functions.shell', 'shell'],
    ['functions.read_filejson', 'read_file'],
    ['repo_browser.open_file', 'repo_browser.open_file'],
    ['repo_browser.open_filecode', 'repo_browser.open_file'],
    [' shell ', 'shell'],
    // Unknown names stay as written (another part maps or rejects them).
    ['functions.read_files', 'read_files'],
    ['container.exec', 'container.exec'],
  ])('%s → %s', (raw, clean) => {
    expect(cleanToolName(raw, KNOWN)).toBe(clean);
  });

  it('cuts a glued constraint only with the known names to tell', () => {
    expect(cleanToolName('functions.read_filejson')).toBe('read_filejson');
  });

  it('knows functions by their bare names and system tools by namespace.tool', () => {
    expect([...KNOWN].sort()).toEqual(['read_file', 'repo_browser.open_file', 'shell']);
  });
});
