import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalOutcome } from '../../tools/tool.js';
import { patchFailure, patchHarness, type PatchHarness } from './apply-patch-harness.js';

const NOTHING_CHANGED = 'Nothing was changed: no file was written. Fix the patch and send all of it again.';

const cleanups: (() => void)[] = [];
async function setup(files: Record<string, string | Buffer>, answer?: ApprovalOutcome): Promise<PatchHarness> {
  const harness = await patchHarness(files, answer ? { answer } : {});
  cleanups.push(() => harness.repo.remove());
  return harness;
}
function outsideDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-outside-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const patch = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

describe('apply_patch: hunks that cannot be placed', () => {
  it('rejects an ambiguous hunk, listing where it matches', async () => {
    const source = 'const x = 0;\nfunction a() {\n  return 1;\n}\nfunction b() {\n  return 1;\n}\n';
    const h = await setup({ 'src/a.ts': source });
    const message = await patchFailure(
      h,
      patch('*** Update File: src/a.ts', '@@', '-const x = 0;', '+const x = 1;', '@@', '-  return 1;', '+  return 2;'),
    );
    expect(message).toBe(
      [
        'src/a.ts, hunk 2: its context and "-" lines match 2 places in the file (starting at lines 3 and 6), so it is unclear which one to change.',
        'Add context lines that make it unique, or an "@@" line naming the function or class the change is in (for example "@@ function parse(") so that the hunk matches exactly one place.',
        NOTHING_CHANGED,
      ].join('\n'),
    );
    expect(h.read('src/a.ts')).toBe(source);
    expect(h.requests).toEqual([]);
  });

  it('names the tolerance level when only a loose match is ambiguous', async () => {
    const h = await setup({ 'a.py': 'if a:\n    go()\nif b:\n        go()\n' });
    const message = await patchFailure(h, patch('*** Update File: a.py', '@@', '-  go()', '+  stop()'));
    expect(message.split('\n')[0]).toBe(
      'a.py, hunk 1: its context and "-" lines match 2 places in the file (starting at lines 2 and 4) with whitespace ignored, so it is unclear which one to change.',
    );
  });

  it('prefers a unique exact match over several loose ones', async () => {
    const h = await setup({ 'a.py': 'if a:\n    go()\nif b:\n        go()\n' });
    await h.apply(patch('*** Update File: a.py', '@@', '-        go()', '+        stop()'));
    expect(h.read('a.py')).toBe('if a:\n    go()\nif b:\n        stop()\n');
  });

  it('rejects a hunk that matches nowhere and shows the nearest lines of the file', async () => {
    const source = [
      "import x from 'x';",
      '',
      'function total(items) {',
      '  let sum = 0;',
      '  for (const item of items) sum += item.price;',
      '  return sum;',
      '}',
      '',
    ].join('\n');
    const h = await setup({ 'src/cart.js': source });
    const message = await patchFailure(
      h,
      patch(
        '*** Update File: src/cart.js',
        '@@ function total(items) {',
        '   let sum = 0;',
        '-  for (const item of items) sum += item.cost;',
        '+  for (const item of items) sum += item.cost * item.count;',
        '   return sum;',
      ),
    );
    expect(message).toBe(
      [
        'src/cart.js, hunk 1: these lines (context and "-") were not found in the file after the "@@ function total(items) {" line (line 3):',
        '       let sum = 0;',
        '    -  for (const item of items) sum += item.cost;',
        '       return sum;',
        'The most similar lines in src/cart.js are lines 4-6:',
        '    4:   let sum = 0;',
        '    5:   for (const item of items) sum += item.price;',
        '    6:   return sum;',
        'Copy the context and "-" lines exactly as the file has them; if the file may have changed, re-read it with read_file first.',
        NOTHING_CHANGED,
      ].join('\n'),
    );
    expect(h.read('src/cart.js')).toBe(source);
  });

  it('says so when nothing in the file resembles the hunk', async () => {
    const h = await setup({ 'a.txt': 'alpha\nbeta\n' });
    const message = await patchFailure(h, patch('*** Update File: a.txt', '@@', '-0123456789', '+x'));
    expect(message).toContain('\nNo part of a.txt resembles them.\n');
  });

  it('explains hunks given out of file order', async () => {
    const h = await setup({ 'a.txt': 'one\ntwo\nthree\nfour\n' });
    const message = await patchFailure(h, patch('*** Update File: a.txt', '@@', '-three', '+3', '@@', '-one', '+1'));
    expect(message.split('\n').slice(0, 3)).toEqual([
      'a.txt, hunk 2: these lines (context and "-") were not found in the file after hunk 1 (which ends at line 3):',
      '    -one',
      'They do appear at line 1, above hunk 1 (which ends at line 3). Hunks must be in the order of the file, each after the one before it and after its "@@" lines.',
    ]);
  });

  it('rejects an @@ line that names no line of the file', async () => {
    const h = await setup({ 'a.ts': 'function f() {}\n' });
    const message = await patchFailure(
      h,
      patch('*** Update File: a.ts', '@@ class Missing', '-function f() {}', '+function g() {}'),
    );
    expect(message.split('\n')[0]).toBe('a.ts, hunk 1: no line matching "@@ class Missing" was found.');
    expect(message.endsWith(NOTHING_CHANGED)).toBe(true);
  });
});

describe('apply_patch: all or nothing', () => {
  it('leaves every file byte-identical when the last hunk of a multi-file patch fails', async () => {
    const h = await setup({
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': 'export const b = 1;\n',
      'win.txt': 'x\r\ny\r\n',
      'gone.txt': 'still here\n',
      'c.ts': 'one\ntwo\nthree\n',
    });
    const before = h.tree();
    const message = await patchFailure(
      h,
      patch(
        '*** Update File: src/a.ts',
        '@@',
        '-export const a = 1;',
        '+export const a = 2;',
        '*** Add File: new/dir/e.ts',
        '+export const e = 1;',
        '*** Delete File: gone.txt',
        '*** Update File: win.txt',
        '@@',
        '-x',
        '+X',
        '*** Update File: src/b.ts',
        '*** Move to: lib/b.ts',
        '@@',
        '-export const b = 1;',
        '+export const b = 2;',
        '*** Update File: c.ts',
        '@@',
        '-one',
        '+1',
        '@@',
        '-four',
        '+4',
      ),
    );
    expect(message.split('\n')[0]).toBe(
      'c.ts, hunk 2: these lines (context and "-") were not found in the file after hunk 1 (which ends at line 1):',
    );
    expect(message.endsWith(NOTHING_CHANGED)).toBe(true);
    expect(h.tree()).toEqual(before);
    expect(h.repo.git('status', '--porcelain')).toBe('');
    expect(h.requests).toEqual([]);
    expect(h.applied).toEqual([]);
  });

  it('writes nothing when a file appears after approval that the patch adds', async () => {
    const h = await setup({ 'a.txt': 'old\n' });
    h.ctx.ask = async () => {
      writeFileSync(path.join(h.repo.root, 'new.txt'), 'the user made this\n');
      return { approved: true };
    };
    const message = await patchFailure(
      h,
      patch('*** Update File: a.txt', '@@', '-old', '+new', '*** Add File: new.txt', '+hi'),
    );
    expect(message).toBe(
      `Cannot add new.txt: it already exists. Use "*** Update File:" to change it.\n${NOTHING_CHANGED}`,
    );
    expect(h.read('a.txt')).toBe('old\n');
    expect(h.read('new.txt')).toBe('the user made this\n');
  });

  it('does not overwrite a file the user edited while the approval prompt was open', async () => {
    const h = await setup({ 'a.txt': 'old\nmore\n' });
    h.ctx.ask = async () => {
      writeFileSync(path.join(h.repo.root, 'a.txt'), 'old\nmore\nuser edit\n');
      return { approved: true };
    };
    const message = await patchFailure(h, patch('*** Update File: a.txt', '@@', '-old', '+new'));
    expect(message).toBe(
      [
        'a.txt changed while the patch was waiting for approval.',
        'Re-read it with read_file and make a new patch against its current text.',
        NOTHING_CHANGED,
      ].join('\n'),
    );
    expect(h.read('a.txt')).toBe('old\nmore\nuser edit\n');
  });

  it('writes nothing when the run is stopped while waiting for approval', async () => {
    const h = await setup({ 'a.txt': 'old\n' });
    const controller = new AbortController();
    h.ctx.signal = controller.signal;
    h.ctx.ask = async () => {
      controller.abort();
      return { approved: true };
    };
    const message = await patchFailure(h, patch('*** Update File: a.txt', '@@', '-old', '+new'));
    expect(message).toBe('The run was stopped before the approved patch was written. Nothing was changed.');
    expect(h.read('a.txt')).toBe('old\n');
  });
});

describe('apply_patch: files that do not fit the patch', () => {
  it('refuses to add a file that exists', async () => {
    const h = await setup({ 'src/a.ts': 'keep\n' });
    const message = await patchFailure(h, patch('*** Add File: src/a.ts', '+replace'));
    expect(message).toBe(
      [
        'Cannot add src/a.ts: it already exists.',
        'To change it, read it with read_file and use "*** Update File: src/a.ts" with hunks.',
        NOTHING_CHANGED,
      ].join('\n'),
    );
    expect(h.read('src/a.ts')).toBe('keep\n');
  });

  it('refuses to update or delete a file that does not exist', async () => {
    const h = await setup({ 'a.txt': 'a\n' });
    expect(await patchFailure(h, patch('*** Update File: src/missing.ts', '@@', '-a', '+b'))).toBe(
      [
        'Cannot update src/missing.ts: there is no such file.',
        'Check the path with list_files, or use "*** Add File: src/missing.ts" to create it.',
        NOTHING_CHANGED,
      ].join('\n'),
    );
    expect((await patchFailure(h, patch('*** Delete File: nope.txt'))).split('\n')[0]).toBe(
      'Cannot delete nope.txt: there is no such file.',
    );
  });

  it('refuses to move onto an existing file', async () => {
    const h = await setup({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const message = await patchFailure(h, patch('*** Update File: a.txt', '*** Move to: b.txt'));
    expect(message.split('\n')[0]).toBe('Cannot move a.txt to b.txt: b.txt already exists.');
    expect(h.read('a.txt')).toBe('a\n');
    expect(h.read('b.txt')).toBe('b\n');
  });

  it('refuses a file named in two sections', async () => {
    const h = await setup({ 'a.txt': 'a\nb\n' });
    const message = await patchFailure(
      h,
      patch('*** Update File: a.txt', '@@', '-a', '+A', '*** Update File: ./a.txt', '@@', '-b', '+B'),
    );
    expect(message.split('\n')[0]).toBe(
      'a.txt appears twice in the patch ("*** Update File: a.txt", then "*** Update File: ./a.txt").',
    );
  });

  it('refuses binary files and directories', async () => {
    const h = await setup({ 'img.bin': Buffer.from([0x89, 0x50, 0x00, 0x0a]), 'dir/x.txt': 'x\n' });
    expect((await patchFailure(h, patch('*** Update File: img.bin', '@@', '-P', '+Q'))).split('\n')[0]).toBe(
      'img.bin is a binary file; apply_patch only edits text files.',
    );
    expect((await patchFailure(h, patch('*** Delete File: dir'))).split('\n')[0]).toBe(
      'dir is not a regular file (it is a directory).',
    );
  });
});

describe('apply_patch: malformed patches', () => {
  it('points at a hunk line without a prefix, by file, hunk and patch line', async () => {
    const h = await setup({ 'a.ts': 'a\nb\n' });
    const message = await patchFailure(h, patch('*** Update File: a.ts', '@@', '-a', '+A', '@@', 'b', '+c'));
    expect(message).toBe(
      [
        'a.ts, hunk 2: line 7 of the patch ("b") does not start with " " (context), "-" (remove) or "+" (add).',
        'Prefix every line of a hunk with one of those characters; an unchanged line needs a leading space.',
        NOTHING_CHANGED,
      ].join('\n'),
    );
  });

  it('rejects input that is not a patch, and unknown headers', async () => {
    const h = await setup({ 'a.ts': 'a\n' });
    expect((await patchFailure(h, 'please change a to b')).split('\n')[0]).toBe(
      'The input is not a patch: it has no "*** Begin Patch" line and no file header.',
    );
    expect((await patchFailure(h, patch('*** Rename File: a.ts'))).split('\n')[0]).toBe(
      'Unknown patch line at line 2 of the patch: "*** Rename File: a.ts".',
    );
    expect((await patchFailure(h, patch('*** Update File: a.ts'))).split('\n')[0]).toBe(
      'a.ts: "*** Update File:" has no hunks, so it would change nothing.',
    );
    expect((await patchFailure(h, patch('*** Add File: b.ts', 'no plus'))).split('\n')[0]).toBe(
      'b.ts: line 3 of the patch ("no plus") does not start with "+".',
    );
  });
});

describe('apply_patch: approval', () => {
  it('writes nothing when the user rejects, and passes on their feedback', async () => {
    const h = await setup({ 'a.txt': 'old\n' }, { approved: false, by: 'user', feedback: ' use a constant instead ' });
    const result = await h.apply(patch('*** Update File: a.txt', '@@', '-old', '+new', '*** Add File: b.txt', '+b'));
    expect(result).toEqual({
      isError: true,
      summary: 'rejected',
      output: 'The user rejected this patch. Their feedback: use a constant instead',
    });
    expect(h.requests).toHaveLength(1);
    expect(h.read('a.txt')).toBe('old\n');
    expect(h.read('b.txt')).toBeUndefined();
    expect(h.applied).toEqual([]);
    expect(h.repo.git('status', '--porcelain')).toBe('');
  });

  it('tells the model not to retry when a headless run cannot ask', async () => {
    const h = await setup({ 'a.txt': 'old\n' }, { approved: false, by: 'headless' });
    const result = await h.apply(patch('*** Update File: a.txt', '@@', '-old', '+new'));
    expect(result).toEqual({
      isError: true,
      summary: 'not approved (headless)',
      output:
        'This patch was not applied: this run cannot ask the user for approval. ' +
        'Do not retry it. Finish the task and describe the change in your answer.',
    });
    expect(h.read('a.txt')).toBe('old\n');
  });
});

describe('apply_patch: the workspace guard', () => {
  it('refuses paths that climb out of the repository', async () => {
    const h = await setup({ 'a/keep.txt': 'k\n' });
    const escape = `../escape-${path.basename(h.repo.root)}.txt`;
    const message = await patchFailure(h, patch(`*** Add File: ${escape}`, '+x'));
    expect(message).toBe(
      `"${escape}" is outside the repository (${h.repo.root}). Only paths inside it can be read or changed; ` +
        `give a path relative to the repository root.\n${NOTHING_CHANGED}`,
    );
    expect(existsSync(path.resolve(h.repo.root, escape))).toBe(false);
    expect((await patchFailure(h, patch('*** Delete File: a/../../x'))).split('\n')[0]).toContain(
      '"a/../../x" is outside the repository',
    );
    const outside = outsideDir();
    expect((await patchFailure(h, patch(`*** Add File: ${outside}/x.txt`, '+x'))).split('\n')[0]).toContain(
      `"${outside}/x.txt" is outside the repository`,
    );
    expect(existsSync(path.join(outside, 'x.txt'))).toBe(false);
    expect(
      (await patchFailure(h, patch('*** Update File: a/keep.txt', '*** Move to: ../moved.txt'))).split('\n')[0],
    ).toContain('"../moved.txt" is outside the repository');
    expect(h.read('a/keep.txt')).toBe('k\n');
  });

  it('refuses symbolic links that lead outside, dangling ones included', async () => {
    const outside = outsideDir();
    writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
    const h = await setup({ 'a.txt': 'a\n' });
    symlinkSync(outside, path.join(h.repo.root, 'escape'));
    symlinkSync(path.join(outside, 'not-yet'), path.join(h.repo.root, 'dangling'));

    const update = await patchFailure(h, patch('*** Update File: escape/secret.txt', '@@', '-secret', '+owned'));
    expect(update.split('\n')[0]).toBe(
      `"escape/secret.txt" leads through a symbolic link to ${outside}/secret.txt, outside the repository. It cannot be read or changed.`,
    );
    expect((await patchFailure(h, patch('*** Add File: escape/new.txt', '+x'))).split('\n')[0]).toContain(
      'leads through a symbolic link',
    );
    expect((await patchFailure(h, patch('*** Add File: dangling', '+x'))).split('\n')[0]).toBe(
      `"dangling" leads through a symbolic link to ${outside}/not-yet, outside the repository. It cannot be read or changed.`,
    );
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret\n');
    expect(existsSync(path.join(outside, 'new.txt'))).toBe(false);
    expect(existsSync(path.join(outside, 'not-yet'))).toBe(false);
  });

  it('never writes under a .git directory', async () => {
    const h = await setup({ 'a.txt': 'a\n' });
    mkdirSync(path.join(h.repo.root, 'sub', '.git'), { recursive: true });
    const config = readFileSync(path.join(h.repo.root, '.git', 'config'), 'utf8');
    const message = await patchFailure(h, patch('*** Update File: .git/config', '@@', '+[alias]'));
    expect(message).toBe(
      '".git/config" is inside a .git directory; the agent never writes there (use the git tool to see history and state).\n' +
        NOTHING_CHANGED,
    );
    expect((await patchFailure(h, patch('*** Add File: sub/.git/x', '+x'))).split('\n')[0]).toContain(
      'inside a .git directory',
    );
    expect(
      (await patchFailure(h, patch('*** Update File: a.txt', '*** Move to: .git/hooks/pre-commit'))).split('\n')[0],
    ).toContain('inside a .git directory');
    expect(readFileSync(path.join(h.repo.root, '.git', 'config'), 'utf8')).toBe(config);
    expect(existsSync(path.join(h.repo.root, 'sub', '.git', 'x'))).toBe(false);
    expect(h.read('a.txt')).toBe('a\n');
  });
});
