import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';
import { readFileTool, type ReadFileData } from '../../tools/read-file.js';
import { readOnlyContext } from './read-only-tool-context.js';

const numbered = (count: number, text = (n: number) => `line ${n}`) =>
  Array.from({ length: count }, (_, i) => `${text(i + 1)}\n`).join('');

let repo: TempRepo;
afterEach(() => repo?.remove());

async function read(args: Parameters<typeof readFileTool.execute>[0]) {
  return readFileTool.execute(args, await readOnlyContext(repo.root));
}

describe('read_file', () => {
  it('numbers every line of a small file, right-aligned, with a tab', async () => {
    repo = makeTempRepo({ 'src/a.ts': numbered(12) });
    const result = await read({ path: 'src/a.ts' });
    expect(result.output).toBe(
      Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(2)}\tline ${i + 1}`).join('\n'),
    );
    expect(result.summary).toBe('12 lines');
    expect(result.isError).toBeUndefined();
    const data = result.data as ReadFileData;
    expect(data).toMatchObject({ path: 'src/a.ts', startLine: 1, endLine: 12, totalLines: 12, totalLinesExact: true });
  });

  it('reads an inclusive range and says where the file goes on', async () => {
    repo = makeTempRepo({ 'a.txt': numbered(12) });
    const result = await read({ path: 'a.txt', start_line: 9, end_line: 11 });
    expect(result.output).toBe(
      [
        ' 9\tline 9',
        '10\tline 10',
        '11\tline 11',
        '[Lines 9-11 of 12. To read on, call read_file with start_line=12.]',
      ].join('\n'),
    );
    expect(result.summary).toBe('lines 9-11 of 12');
  });

  it('reads to the end from start_line and notes an end_line past the end', async () => {
    repo = makeTempRepo({ 'a.txt': numbered(5) });
    expect((await read({ path: 'a.txt', start_line: 4 })).output).toBe('4\tline 4\n5\tline 5');
    expect((await read({ path: 'a.txt', start_line: 4, end_line: 90 })).output).toBe(
      '4\tline 4\n5\tline 5\n[The file ends at line 5.]',
    );
  });

  it('shows at most 400 lines by default, then the total and how to ask for more', async () => {
    repo = makeTempRepo({ 'big.txt': numbered(1000, (n) => `${n}`) });
    const result = await read({ path: 'big.txt' });
    const lines = result.output.split('\n');
    expect(lines).toHaveLength(401);
    expect(lines[0]).toBe('  1\t1');
    expect(lines[399]).toBe('400\t400');
    expect(lines[400]).toBe('[Lines 1-400 of 1000. To read on, call read_file with start_line=401.]');
    expect(result.summary).toBe('lines 1-400 of 1000');
    expect(result.moreHint).toContain('start_line');
  });

  it('continues from start_line with the same default window', async () => {
    repo = makeTempRepo({ 'big.txt': numbered(1000, (n) => `${n}`) });
    const lines = (await read({ path: 'big.txt', start_line: 401 })).output.split('\n');
    expect(lines[0]).toBe('401\t401');
    expect(lines.at(-1)).toBe('[Lines 401-800 of 1000. To read on, call read_file with start_line=801.]');
  });

  it('stops the default window early when the lines are long, so the output is not cut in the middle', async () => {
    repo = makeTempRepo({ 'wide.txt': numbered(300, () => 'x'.repeat(99)) });
    const lines = (await read({ path: 'wide.txt' })).output.split('\n');
    // 12,000 characters at 99 characters of text and 4 of number and tab a line: 116 lines.
    expect(lines).toHaveLength(117);
    expect(lines.at(-1)).toBe('[Lines 1-116 of 300. To read on, call read_file with start_line=117.]');
  });

  it('returns an explicit range whole, even past the default window', async () => {
    repo = makeTempRepo({ 'big.txt': numbered(1000, (n) => `${n}`) });
    const result = await read({ path: 'big.txt', start_line: 1, end_line: 600 });
    expect(result.output.split('\n')).toHaveLength(601);
  });

  it('cuts a very long line with a marker that gives its length', async () => {
    repo = makeTempRepo({ 'min.js': `short\n${'a'.repeat(2000)}\nend\n` });
    const result = await read({ path: 'min.js' });
    expect(result.output).toBe(`1\tshort\n2\t${'a'.repeat(500)} …[cut at 500 of 2000 chars]\n3\tend`);
  });

  it('keeps only the head of a line too long to hold, and measures it in bytes', async () => {
    repo = makeTempRepo({ 'blob.json': `${'b'.repeat(300_000)}\n` });
    const result = await read({ path: 'blob.json' });
    expect(result.output).toBe(`1\t${'b'.repeat(500)} …[cut at 500 chars of a 300000-byte line]`);
  });

  it('strips CRLF line endings and counts a last line without a newline', async () => {
    repo = makeTempRepo({ 'dos.txt': 'one\r\ntwo\r\nthree' });
    const result = await read({ path: 'dos.txt' });
    expect(result.output).toBe('1\tone\n2\ttwo\n3\tthree');
    expect(result.summary).toBe('3 lines');
  });

  it('reads a large file without holding it: the window, and an exact count', async () => {
    repo = makeTempRepo({});
    const line = `${'z'.repeat(99)}\n`;
    repo.write('huge.log', line.repeat(200_000)); // 20 MB
    const result = await read({ path: 'huge.log', start_line: 199_999 });
    expect(result.output).toBe(`199999\t${'z'.repeat(99)}\n200000\t${'z'.repeat(99)}`);
    expect((result.data as ReadFileData).totalLines).toBe(200_000);
  });

  it('treats a multi-byte character cut by the sniffing window as text', async () => {
    repo = makeTempRepo({ 'utf8.txt': `${'a'.repeat(8191)}é\n` });
    const result = await read({ path: 'utf8.txt' });
    expect(result.output).toBe(`1\t${'a'.repeat(500)} …[cut at 500 chars of a 8193-byte line]`);
  });

  it('refuses binary files, saying what they are and how big', async () => {
    repo = makeTempRepo({
      'logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2040)]),
      'dump.bin': Buffer.concat([Buffer.from('text at first\n'.repeat(1000)), Buffer.from([0])]),
      'data.bin': Buffer.from('abc\0def'),
      'zeros.bin': Buffer.alloc(10_000),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    });
    await expect(read({ path: 'logo.png' })).rejects.toThrow(
      'logo.png is a binary file (2.0 KB; a PNG image). read_file shows UTF-8 text only.',
    );
    await expect(read({ path: 'data.bin' })).rejects.toThrow(
      'data.bin is a binary file (7 bytes; a NUL byte). read_file shows UTF-8 text only.',
    );
    await expect(read({ path: 'latin1.txt' })).rejects.toThrow(
      'latin1.txt is a binary file (5 bytes; invalid UTF-8). read_file shows UTF-8 text only.',
    );
    await expect(read({ path: 'zeros.bin' })).rejects.toThrow(
      'zeros.bin is a binary file (9.8 KB; a NUL byte in the first 8.0 KB).',
    );
    // A NUL byte past the first 8 KB is not looked for: the file reads as text.
    expect((await read({ path: 'dump.bin' })).summary).toBe('lines 1-400 of 1001');
  });

  it('says when a file is empty', async () => {
    repo = makeTempRepo({ 'empty.ts': '' });
    const result = await read({ path: 'empty.ts' });
    expect(result.output).toBe('empty.ts is empty (0 bytes).');
    expect(result.summary).toBe('empty');
  });

  it("finds a file of that name elsewhere: paths start at the root, not at the user's subdirectory", async () => {
    repo = makeTempRepo({ 'src/cart.js': 'x\n', 'src/cards.js': 'x\n', 'test/Cart.js': 'x\n', 'lib/kart.js': 'x\n' });
    await expect(read({ path: 'cart.js' })).rejects.toThrow(
      'No file cart.js. Did you mean src/cart.js or test/Cart.js?',
    );
    await expect(read({ path: 'lib/cart.js' })).rejects.toThrow(
      'No file lib/cart.js. Did you mean src/cart.js or test/Cart.js or lib/kart.js?',
    );
    // git's index still lists a deleted file: it is not suggested.
    repo.git('add', '-A');
    rmSync(path.join(repo.root, 'test/Cart.js'));
    await expect(read({ path: 'cart.js' })).rejects.toThrow('No file cart.js. Did you mean src/cart.js?');
    rmSync(path.join(repo.root, 'src/cart.js'));
    await expect(read({ path: 'cart.js' })).rejects.toThrow(
      'No file cart.js. Did you mean lib/kart.js or src/cards.js?',
    );
  });

  it('sends a directory to list_files', async () => {
    repo = makeTempRepo({ 'src/a.ts': 'x\n' });
    await expect(read({ path: 'src' })).rejects.toThrow(
      'src is a directory. Use list_files with path "src" to see its files.',
    );
  });

  it('suggests close names for a missing file or directory', async () => {
    repo = makeTempRepo({ 'src/utils.ts': 'x\n', 'src/index.js': 'x\n' });
    await expect(read({ path: 'src/utlis.ts' })).rejects.toThrow('No file src/utlis.ts. Did you mean src/utils.ts?');
    await expect(read({ path: 'src/index.ts' })).rejects.toThrow('No file src/index.ts. Did you mean src/index.js?');
    await expect(read({ path: 'scr/utils.ts' })).rejects.toThrow(
      'No file scr/utils.ts: there is no scr. Did you mean src/utils.ts or src?',
    );
    await expect(read({ path: 'src/zzzzzzzz.py' })).rejects.toThrow(
      'No file src/zzzzzzzz.py. Use list_files or grep to find the right path.',
    );
  });

  it('gives the length of the file for a range past its end', async () => {
    repo = makeTempRepo({ 'a.txt': numbered(7) });
    await expect(read({ path: 'a.txt', start_line: 8 })).rejects.toThrow(
      'a.txt has 7 lines; start_line 8 is past the end. Ask for a range within 1-7.',
    );
    await expect(read({ path: 'a.txt', start_line: 5, end_line: 2 })).rejects.toThrow(
      'start_line (5) is after end_line (2).',
    );
  });

  it('refuses paths outside the repository, directly or through a symbolic link', async () => {
    repo = makeTempRepo({ 'a.txt': 'x\n' });
    const outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gptoss-outside-')));
    try {
      writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
      symlinkSync(path.join(outside, 'secret.txt'), path.join(repo.root, 'link.txt'));
      mkdirSync(path.join(repo.root, 'sub'));
      symlinkSync(outside, path.join(repo.root, 'sub', 'out'));
      await expect(read({ path: '../secret.txt' })).rejects.toThrow('is outside the repository');
      await expect(read({ path: path.join(outside, 'secret.txt') })).rejects.toThrow('is outside the repository');
      await expect(read({ path: 'link.txt' })).rejects.toThrow('leads through a symbolic link');
      await expect(read({ path: 'sub/out/secret.txt' })).rejects.toThrow('leads through a symbolic link');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('follows a symbolic link that stays inside the repository', async () => {
    repo = makeTempRepo({ 'real.txt': 'hello\n' });
    symlinkSync('real.txt', path.join(repo.root, 'alias.txt'));
    const result = await read({ path: 'alias.txt' });
    expect(result.output).toBe('1\thello');
    expect((result.data as ReadFileData).path).toBe('real.txt');
  });

  it('stops when the call is aborted', async () => {
    repo = makeTempRepo({ 'a.txt': 'x\n' });
    const controller = new AbortController();
    controller.abort();
    const ctx = await readOnlyContext(repo.root, controller.signal);
    await expect(readFileTool.execute({ path: 'a.txt' }, ctx)).rejects.toThrow(/abort/i);
  });

  it('describes a call in one line', () => {
    expect(readFileTool.describe({ path: 'src/a.ts' })).toBe('read src/a.ts');
    expect(readFileTool.describe({ path: 'src/a.ts', start_line: 10, end_line: 80 })).toBe('read src/a.ts:10-80');
    expect(readFileTool.describe({ path: 'src/a.ts', start_line: 10 })).toBe('read src/a.ts:10-');
  });
});
