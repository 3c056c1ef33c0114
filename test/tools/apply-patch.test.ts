import { chmodSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPatchTool } from '../../tools/apply-patch.js';
import { patchHarness, type PatchHarness } from './apply-patch-harness.js';

let harness: PatchHarness | undefined;
async function setup(files: Record<string, string | Buffer>): Promise<PatchHarness> {
  harness = await patchHarness(files);
  return harness;
}
afterEach(() => harness?.repo.remove());

const patch = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

describe('apply_patch: applying', () => {
  it('adds a file, creating its directories', async () => {
    const h = await setup({ 'README.md': 'hi\n' });
    const result = await h.apply(
      patch('*** Add File: src/lib/new.ts', '+export const a = 1;', '+', '+export const b = 2;'),
    );
    expect(h.read('src/lib/new.ts')).toBe('export const a = 1;\n\nexport const b = 2;\n');
    expect(result).toEqual({
      output: 'Applied: A src/lib/new.ts (+3)',
      summary: '1 file, +3 -0',
      data: { files: [{ path: 'src/lib/new.ts', change: 'add', added: 3, removed: 0 }] },
    });
    expect(h.repo.git('status', '--porcelain')).toBe('?? src/\n');
  });

  it('updates a file with several hunks, keeping the lines between them', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const h = await setup({ 'a.txt': lines.join('\n') + '\n' });
    const result = await h.apply(
      patch(
        '*** Update File: a.txt',
        '@@',
        ' line 2',
        '-line 3',
        '+line three',
        ' line 4',
        '@@',
        ' line 14',
        '+line 14.5',
        ' line 15',
        '@@',
        ' line 28',
        '-line 29',
        '-line 30',
        '+the end',
      ),
    );
    const expected = [...lines];
    expected.splice(28, 2, 'the end');
    expected.splice(14, 0, 'line 14.5');
    expected[2] = 'line three';
    expect(h.read('a.txt')).toBe(expected.join('\n') + '\n');
    expect(result.output).toBe('Applied: M a.txt (+3 -3)');
    expect(result.summary).toBe('1 file, +3 -3');
  });

  it('deletes a file', async () => {
    const h = await setup({ 'old.txt': 'bye\n', 'keep.txt': 'stay\n' });
    const result = await h.apply(patch('*** Delete File: old.txt'));
    expect(h.read('old.txt')).toBeUndefined();
    expect(h.read('keep.txt')).toBe('stay\n');
    expect(result.output).toBe('Applied: D old.txt');
    expect(h.repo.git('status', '--porcelain')).toBe(' D old.txt\n');
  });

  it('moves a file without changing it', async () => {
    const h = await setup({ 'a.ts': 'export const a = 1;\n' });
    const result = await h.apply(patch('*** Update File: a.ts', '*** Move to: lib/b.ts'));
    expect(h.read('a.ts')).toBeUndefined();
    expect(h.read('lib/b.ts')).toBe('export const a = 1;\n');
    expect(result.output).toBe('Applied: R a.ts -> lib/b.ts');
    expect(result.data).toEqual({
      files: [{ path: 'a.ts', movedTo: 'lib/b.ts', change: 'move', added: 0, removed: 0 }],
    });
  });

  it('moves a file and edits it', async () => {
    const h = await setup({ 'a.ts': 'const a = 1;\nexport { a };\n' });
    const result = await h.apply(
      patch('*** Update File: a.ts', '*** Move to: lib/b.ts', '@@', '-const a = 1;', '+const a = 2;', ' export { a };'),
    );
    expect(h.read('a.ts')).toBeUndefined();
    expect(h.read('lib/b.ts')).toBe('const a = 2;\nexport { a };\n');
    expect(result.output).toBe('Applied: R a.ts -> lib/b.ts (+1 -1)');
  });

  it('applies add, update, delete and move together and reports each', async () => {
    const h = await setup({ 'src/a.ts': 'one\ntwo\n', 'old.ts': 'x\n', 'm.ts': 'm\n' });
    const result = await h.apply(
      patch(
        '*** Update File: src/a.ts',
        '@@',
        ' one',
        '-two',
        '+2',
        '+3',
        '*** Add File: src/new.ts',
        '+new',
        '*** Delete File: old.ts',
        '*** Update File: m.ts',
        '*** Move to: n.ts',
      ),
    );
    expect(result.output).toBe('Applied: M src/a.ts (+2 -1), A src/new.ts (+1), D old.ts, R m.ts -> n.ts');
    expect(result.summary).toBe('4 files, +3 -2');
    expect([...h.tree().entries()].map(([p, b]) => `${p}=${b.toString()}`)).toEqual([
      'n.ts=m\n',
      'src/=',
      'src/a.ts=one\n2\n3\n',
      'src/new.ts=new\n',
    ]);
  });

  it('matches context lines despite whitespace drift and keeps the file’s own text for them', async () => {
    const h = await setup({ 'a.py': 'def f():\n    x = 1   \n    return x\n' });
    await h.apply(patch('*** Update File: a.py', '@@', '  def f():', ' x = 1', '-  return x', '+    return x + 1'));
    expect(h.read('a.py')).toBe('def f():\n    x = 1   \n    return x + 1\n');
  });

  it('matches typographic quotes, dashes and non-breaking spaces in context lines', async () => {
    const h = await setup({ 'a.md': 'He said "hi" - twice.\nend\n' });
    await h.apply(patch('*** Update File: a.md', '@@', ' He said “hi” — twice.', '-end', '+fin'));
    expect(h.read('a.md')).toBe('He said "hi" - twice.\nfin\n');
  });

  it('treats a blank line inside a hunk as an empty context line', async () => {
    const h = await setup({ 'a.ts': 'a();\n\nb();\n' });
    await h.apply(patch('*** Update File: a.ts', '@@', ' a();', '', '-b();', '+c();'));
    expect(h.read('a.ts')).toBe('a();\n\nc();\n');
  });

  it('ignores blank lines that only separate file sections', async () => {
    const h = await setup({ 'a.ts': 'a();\nb();\n', 'c.ts': 'c();\n' });
    await h.apply(
      patch('*** Update File: a.ts', '@@', '-a();', '+A();', '', '*** Update File: c.ts', '@@', '-c();', '+C();', ''),
    );
    expect(h.read('a.ts')).toBe('A();\nb();\n');
    expect(h.read('c.ts')).toBe('C();\n');
  });

  it('accepts a patch without "*** End Patch"', async () => {
    const h = await setup({ 'a.txt': 'old\n' });
    await h.apply('*** Begin Patch\n*** Update File: a.txt\n@@\n-old\n+new\n');
    expect(h.read('a.txt')).toBe('new\n');
  });

  it('accepts a heredoc wrapper, with or without the end marker', async () => {
    const h = await setup({ 'a.txt': 'old\n', 'b.txt': 'old\n' });
    await h.apply("apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: a.txt\n@@\n-old\n+new\n*** End Patch\nEOF\n");
    await h.apply('applypatch <<PATCH\n*** Begin Patch\n*** Update File: b.txt\n@@\n-old\n+new\nPATCH');
    expect(h.read('a.txt')).toBe('new\n');
    expect(h.read('b.txt')).toBe('new\n');
  });

  it('accepts prose and a code fence around the patch, with or without the end marker', async () => {
    const h = await setup({ 'a.txt': 'old\n', 'b.txt': 'old\n' });
    await h.apply(
      'Here is the change:\n```diff\n*** Begin Patch\n*** Update File: a.txt\n@@\n-old\n+new\n*** End Patch\n```\nDone.',
    );
    await h.apply('```\n*** Begin Patch\n*** Update File: b.txt\n@@\n-old\n+new\n```\nThat renames it.');
    expect(h.read('a.txt')).toBe('new\n');
    expect(h.read('b.txt')).toBe('new\n');
  });

  it('keeps CRLF line endings and a missing final newline', async () => {
    const h = await setup({ 'win.txt': 'one\r\ntwo\r\nthree', 'unix.txt': 'one\ntwo' });
    await h.apply(
      patch(
        '*** Update File: win.txt',
        '@@',
        ' one',
        '-two',
        '+2',
        '+2.5',
        ' three',
        '*** Update File: unix.txt',
        '@@',
        ' one',
        '-two',
        '+2',
      ),
    );
    expect(h.read('win.txt')).toBe('one\r\n2\r\n2.5\r\nthree');
    expect(h.read('unix.txt')).toBe('one\n2');
  });

  it('keeps a byte-order mark when line 1 is edited, with CRLF, the mode and a missing final newline', async () => {
    const h = await setup({ 'bom.txt': '\uFEFFone\r\ntwo\r\nthree', 'bom-lf.txt': '\uFEFFfirst\nsecond\n' });
    chmodSync(path.join(h.repo.root, 'bom.txt'), 0o755);
    await h.apply(
      patch(
        '*** Update File: bom.txt',
        '@@',
        '-one',
        '+uno',
        ' two',
        '-three',
        '+tres',
        '*** Update File: bom-lf.txt',
        '@@',
        '-first',
        '+zeroth',
        '+first',
      ),
    );
    expect(readFileSync(path.join(h.repo.root, 'bom.txt'))).toEqual(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('uno\r\ntwo\r\ntres')]),
    );
    expect(statSync(path.join(h.repo.root, 'bom.txt')).mode & 0o777).toBe(0o755);
    expect(h.read('bom-lf.txt')).toBe('\uFEFFzeroth\nfirst\nsecond\n');
    // The diff the user approved keeps the mark on both sides: only the word changed.
    expect(h.requests[0]!.diff).toContain('+\uFEFFuno');
  });

  it('keeps a CRLF file’s final newline when lines are added at its end', async () => {
    const h = await setup({ 'win.txt': 'a\r\nb\r\n' });
    await h.apply(patch('*** Update File: win.txt', '@@', ' b', '+c', '*** End of File'));
    expect(h.read('win.txt')).toBe('a\r\nb\r\nc\r\n');
  });

  it('narrows the location with @@ lines: a class, then a method in it', async () => {
    const source = [
      'class A {',
      '  run() {',
      '    return 1;',
      '  }',
      '}',
      'class B {',
      '  stop() {',
      '    return 1;',
      '  }',
      '  run() {',
      '    return 1;',
      '  }',
      '}',
      '',
    ].join('\n');
    const h = await setup({ 'c.ts': source });
    await h.apply(patch('*** Update File: c.ts', '@@ class B {', '@@   run() {', '-    return 1;', '+    return 2;'));
    const expected = source.split('\n');
    expected[10] = '    return 2;';
    expect(h.read('c.ts')).toBe(expected.join('\n'));
  });

  it('accepts a unified-diff range after @@ and a partial header line', async () => {
    const h = await setup({ 'a.ts': 'function f(a: number) {\n  return a;\n}\nfunction g() {\n  return a;\n}\n' });
    await h.apply(patch('*** Update File: a.ts', '@@ -4,3 +4,3 @@ function g(', '-  return a;', '+  return 0;'));
    expect(h.read('a.ts')).toBe('function f(a: number) {\n  return a;\n}\nfunction g() {\n  return 0;\n}\n');
  });

  it('anchors a hunk marked "*** End of File" at the end of the file', async () => {
    const h = await setup({ 'a.txt': 'x\nend\nx\nend\n' });
    await h.apply(patch('*** Update File: a.txt', '@@', ' x', '-end', '+END', '*** End of File'));
    expect(h.read('a.txt')).toBe('x\nend\nx\nEND\n');
  });

  it('inserts a hunk of only added lines right after its @@ line', async () => {
    const h = await setup({ 'a.py': 'import os\n\ndef f():\n    pass\n' });
    await h.apply(patch('*** Update File: a.py', '@@ def f():', '+    """Docstring."""'));
    expect(h.read('a.py')).toBe('import os\n\ndef f():\n    """Docstring."""\n    pass\n');
  });

  it('accepts an absolute path inside the repository and reports it relative to the root', async () => {
    const h = await setup({ 'src/a.txt': 'old\n' });
    const result = await h.apply(patch(`*** Update File: ${h.repo.root}/src/a.txt`, '@@', '-old', '+new'));
    expect(result.output).toBe('Applied: M src/a.txt (+1 -1)');
    expect(h.read('src/a.txt')).toBe('new\n');
  });

  it('works in a directory that is not a git repository', async () => {
    harness = await patchHarness({ 'a.txt': 'old\n' }, { git: false });
    await harness.apply(patch('*** Update File: a.txt', '@@', '-old', '+new'));
    expect(harness.read('a.txt')).toBe('new\n');
  });
});

describe('apply_patch: what the user is asked', () => {
  it('passes the exact unified diff, the file summaries and a title to ask', async () => {
    const h = await setup({ 'src/a.ts': 'one\ntwo\nthree\n', 'gone.txt': 'bye\n' });
    await h.apply(
      patch(
        '*** Update File: src/a.ts',
        '@@',
        ' one',
        '-two',
        '+2',
        '*** Delete File: gone.txt',
        '*** Add File: n.txt',
        '+hi',
      ),
    );
    expect(h.requests).toEqual([
      {
        tool: 'apply_patch',
        kind: 'edit',
        title: 'Edit src/a.ts, gone.txt, n.txt',
        diff: [
          'diff --git a/src/a.ts b/src/a.ts',
          '--- a/src/a.ts',
          '+++ b/src/a.ts',
          '@@ -1,3 +1,3 @@',
          ' one',
          '-two',
          '+2',
          ' three',
          'diff --git a/gone.txt b/gone.txt',
          'deleted file',
          '--- a/gone.txt',
          '+++ /dev/null',
          '@@ -1,1 +0,0 @@',
          '-bye',
          'diff --git a/n.txt b/n.txt',
          'new file',
          '--- /dev/null',
          '+++ b/n.txt',
          '@@ -0,0 +1,1 @@',
          '+hi',
          '',
        ].join('\n'),
        files: [
          { path: 'src/a.ts', change: 'update', added: 1, removed: 1 },
          { path: 'gone.txt', change: 'delete', added: 0, removed: 1 },
          { path: 'n.txt', change: 'add', added: 1, removed: 0 },
        ],
      },
    ]);
  });

  it('warns when the patch touches test files, and only then', async () => {
    const h = await setup({ 'src/a.ts': 'a\n', 'test/a.test.ts': 't\n', 'pkg/x_test.go': 'g\n' });
    await h.apply(patch('*** Update File: src/a.ts', '@@', '-a', '+b'));
    expect(h.requests[0]).not.toHaveProperty('warning');
    await h.apply(
      patch(
        '*** Update File: test/a.test.ts',
        '@@',
        '-t',
        '+u',
        '*** Update File: pkg/x_test.go',
        '@@',
        '-g',
        '+h',
        '*** Update File: src/a.ts',
        '*** Move to: src/__tests__/a.ts',
      ),
    );
    expect(h.requests[1]!.warning).toBe('touches test files: test/a.test.ts, pkg/x_test.go, src/__tests__/a.ts');
  });

  it('tells the session what it changed, with the bytes before and after', async () => {
    const h = await setup({ 'a.txt': 'old\n' });
    await h.apply(patch('*** Update File: a.txt', '@@', '-old', '+new'));
    expect(h.applied).toHaveLength(1);
    const set = h.applied[0]!;
    expect(set.before.map((s) => [s.path, s.existed, s.bytes?.toString()])).toEqual([['a.txt', true, 'old\n']]);
    expect(set.after.map((s) => [s.path, s.existed, s.bytes?.toString()])).toEqual([['a.txt', true, 'new\n']]);
  });
});

describe('apply_patch: describe', () => {
  it('names the files from the headers, and never throws', () => {
    const text = patch('*** Update File: src/a.ts', '@@', '-x', '+y', '*** Add File: src/b.ts', '+z');
    expect(applyPatchTool.describe({ input: text })).toBe('patch src/a.ts, src/b.ts');
    expect(
      applyPatchTool.describe({
        input: 'a.ts, b.ts, c.ts, d.ts, e.ts'
          .split(', ')
          .map((p) => `*** Delete File: ${p}`)
          .join('\n'),
      }),
    ).toBe('patch a.ts, b.ts, c.ts and 2 more');
    expect(applyPatchTool.describe({ input: 'nonsense' })).toBe('patch');
    expect(applyPatchTool.describe({ input: 42 } as never)).toBe('patch');
    expect(applyPatchTool.describe(undefined as never)).toBe('patch');
  });
});

describe('apply_patch: large files', () => {
  it('changes a line near the top of a 200,000-line file, keeping every line after it', async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `line ${i + 1}`);
    const h = await setup({ 'big.txt': lines.join('\n') + '\n' });
    const result = await h.apply(patch('*** Update File: big.txt', '@@', ' line 1', '-line 2', '+line two', ' line 3'));
    expect(result.output).toBe('Applied: M big.txt (+1 -1)');
    const expected = [...lines];
    expected[1] = 'line two';
    expect(h.read('big.txt')).toBe(expected.join('\n') + '\n');
  });
});
