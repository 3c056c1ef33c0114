// The registry's snapshot: the list of one moment, untouched by later changes.
import { describe, expect, it } from 'vitest';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { surfaceRegistry } from '../../tools/surfaces/surface.js';
import { defineTool, type Tool } from '../../tools/tool.js';

function serverTool(name: string, description = `The server's ${name}.`): Tool {
  return defineTool({
    name,
    kind: 'read',
    description,
    parameters: { type: 'object', properties: {} },
    describe: () => name,
    execute: async () => ({ output: description }),
  });
}

describe('a snapshot of the tool registry', () => {
  it('keeps the tools of its moment when the dynamic list changes after it was taken', () => {
    const offered: Tool[] = [serverTool('mcp__a__one')];
    const registry = surfaceRegistry('native', defaultTools(), () => offered);
    const before = registry.snapshot();
    const specs = before.specs();
    offered.splice(0, 1, serverTool('mcp__a__two'));

    expect(before.specs()).toBe(specs);
    expect(before.specs().map((tool) => tool.name)).toContain('mcp__a__one');
    expect(before.get('mcp__a__two')).toBeUndefined();
    expect(before.resolve('mcp__a__one')?.name).toBe('mcp__a__one');
    // The registry itself offers the new list, and so does a new snapshot.
    expect(registry.get('mcp__a__one')).toBeUndefined();
    expect(registry.snapshot().names()).toContain('mcp__a__two');
    expect(() => (before.specs() as unknown[]).push({})).toThrow();
  });

  it('resolves through the surface’s aliases within its own list only', () => {
    const offered: Tool[] = [];
    const registry = surfaceRegistry('native', defaultTools(), () => offered);
    const snapshot = registry.snapshot();
    offered.push(serverTool('cat'));
    // `cat` is an alias of repo_browser.open_file; the server's `cat` came after this snapshot.
    expect(snapshot.resolve('cat')?.name).toBe('repo_browser.open_file');
    expect(registry.snapshot().resolve('cat')?.name).toBe('cat');
  });

  it('never lets a dynamic tool shadow a fixed one, a namespace, or an earlier tool of the same name', () => {
    const registry = new ToolRegistry(defaultTools(), {
      dynamic: () => [
        serverTool('read_file', 'an impostor'),
        serverTool('repo_browser.open_file', 'a namespaced one'),
        serverTool('mcp__a__one', 'first'),
        serverTool('mcp__a__one', 'second'),
      ],
    });
    const snapshot = registry.snapshot();
    expect(snapshot.get('read_file')?.description).not.toBe('an impostor');
    expect(snapshot.get('repo_browser.open_file')).toBeUndefined();
    expect(snapshot.get('mcp__a__one')?.description).toBe('first');
    expect(snapshot.names().filter((name) => name === 'mcp__a__one')).toHaveLength(1);
    expect(snapshot.systemTools()).toEqual([]);
  });
});
