import { describe, expect, it } from 'vitest';
import { ToolCallAssembler } from '../../src/model/tool-call-assembler.js';

describe('ToolCallAssembler', () => {
  it('joins argument pieces by index and completes a call when the next index starts', () => {
    const calls = new ToolCallAssembler();
    expect(
      calls.push({ index: 0, id: 'c1', type: 'function', function: { name: 'read_file', arguments: '' } }),
    ).toEqual([]);
    expect(calls.push({ index: 0, function: { arguments: '{"pa' } })).toEqual([]);
    expect(calls.push({ index: 0, function: { arguments: 'th":"a"}' } })).toEqual([]);
    expect(calls.push({ index: 1, id: 'c2', function: { name: 'grep', arguments: '{"q":"x"}' } })).toEqual([
      { id: 'c1', name: 'read_file', arguments: '{"path":"a"}' },
    ]);
    expect(calls.finish()).toEqual([{ id: 'c2', name: 'grep', arguments: '{"q":"x"}' }]);
    expect(calls.finish()).toEqual([]);
  });

  it('separates whole calls that reuse index 0 with their own ids, and tolerates a repeated name', () => {
    const calls = new ToolCallAssembler();
    calls.push({ index: 0, id: 'a', function: { name: 'shell', arguments: '{"cmd":' } });
    calls.push({ index: 0, function: { name: 'shell', arguments: '"ls"}' } });
    expect(calls.push({ index: 0, id: 'b', function: { name: 'shell', arguments: '{"cmd":"pwd"}' } })).toEqual([
      { id: 'a', name: 'shell', arguments: '{"cmd":"ls"}' },
    ]);
    expect(calls.finish()).toEqual([{ id: 'b', name: 'shell', arguments: '{"cmd":"pwd"}' }]);
  });

  it('invents distinct ids, reads object arguments, and gives a call without arguments {}', () => {
    const calls = new ToolCallAssembler();
    calls.push({ index: 0, function: { name: 'list_files' } });
    const [first] = calls.push({ index: 1, function: { name: 'read_file', arguments: { path: 'x' } } });
    const [second] = calls.finish();
    expect(first).toMatchObject({ name: 'list_files', arguments: '{}' });
    expect(second).toMatchObject({ name: 'read_file', arguments: '{"path":"x"}' });
    expect(first!.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(second!.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(first!.id).not.toBe(second!.id);
  });
});
