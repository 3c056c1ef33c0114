// System tool namespaces flattened into Chat Completions functions, and back.
import { describe, expect, it } from 'vitest';
import { flattenSystemTools } from '../../src/model/chat-system-tools.js';

const params = { type: 'object', properties: { path: { type: 'string' } } };

describe('flattenSystemTools', () => {
  it('names namespaced tools namespace__tool, keeps a standalone tool, and maps both back', () => {
    const flat = flattenSystemTools([
      {
        name: 'repo_browser',
        description: 'Browse the repository.',
        tools: [{ name: 'open_file', description: 'Opens a file.', parameters: params }],
      },
      { name: 'apply_patch', description: 'Send a V4A patch.', tools: [] },
    ]);
    expect(flat.tools).toEqual([
      { name: 'repo_browser__open_file', description: 'Browse the repository. Opens a file.', parameters: params },
      { name: 'apply_patch', description: 'Send a V4A patch.', parameters: { type: 'object' } },
    ]);
    expect(flat.toQualified.get('repo_browser__open_file')).toBe('repo_browser.open_file');
    expect(flat.toFlat.get('repo_browser.open_file')).toBe('repo_browser__open_file');
    expect(flat.toQualified.get('apply_patch')).toBe('apply_patch');
  });

  it('leaves a name a developer function already has to that function', () => {
    const flat = flattenSystemTools(
      [{ name: 'apply_patch', tools: [] }],
      [{ name: 'apply_patch', description: 'Apply a patch.', parameters: { type: 'object' } }],
    );
    expect(flat.tools).toEqual([]);
    expect(flat.toQualified.size).toBe(0);
  });

  it('writes names in the alphabet servers accept', () => {
    const flat = flattenSystemTools([
      { name: 'my.tools', tools: [{ name: 'run it', description: '', parameters: params }] },
    ]);
    expect(flat.tools.map((tool) => tool.name)).toEqual(['my_tools__run_it']);
    expect(flat.toQualified.get('my_tools__run_it')).toBe('my.tools.run it');
  });
});
