// File names up to the file system's limit (255 bytes) can be added, edited,
// moved and put back: the temporary name beside them never grows with them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreSnapshots } from '../../../tools/changes/file-changes.js';
import { patchHarness, type PatchHarness } from '../apply-patch-harness.js';

const harnesses: PatchHarness[] = [];
afterEach(() => harnesses.splice(0).forEach((h) => h.repo.remove()));

/** A name of exactly `bytes` UTF-8 bytes made of `unit` (ASCII or multi-byte), padded with 'x'. */
function nameOf(bytes: number, unit: string): string {
  const width = Buffer.byteLength(unit);
  return unit.repeat(Math.floor((bytes - 4) / width)) + 'x'.repeat((bytes - 4) % width) + '.txt';
}

const NAMES = [
  ['250 ASCII bytes', nameOf(250, 'a')],
  ['255 ASCII bytes', nameOf(255, 'a')],
  ['250 bytes of 2-byte letters', nameOf(250, 'é')],
  ['255 bytes of 3-byte letters', nameOf(255, '日')],
  ['255 bytes of 4-byte letters', nameOf(255, '😀')],
] as const;

describe.each(NAMES)('a file name of %s', (_label, name) => {
  it('is exactly that long', () => expect(Buffer.byteLength(name)).toBe(_label.startsWith('250') ? 250 : 255));

  it('can be added, edited, moved into a directory and put back, with no temporary file left', async () => {
    const h = await patchHarness({ 'keep.txt': 'k\n' });
    harnesses.push(h);
    await h.apply(`*** Begin Patch\n*** Add File: ${name}\n+one\n*** End Patch`);
    expect(h.read(name)).toBe('one\n');
    await h.apply(`*** Begin Patch\n*** Update File: ${name}\n@@\n-one\n+two\n*** End Patch`);
    expect(h.read(name)).toBe('two\n');
    await h.apply(`*** Begin Patch\n*** Update File: ${name}\n*** Move to: d/${name}\n@@\n-two\n+three\n*** End Patch`);
    expect(readFileSync(path.join(h.repo.root, 'd', name), 'utf8')).toBe('three\n');

    // Undo of the move puts the long name back where it was.
    await restoreSnapshots(h.ctx.workspace, h.applied.at(-1)!.before);
    expect(h.read(name)).toBe('two\n');
    expect(readdirSync(h.repo.root).sort()).toEqual(['.git', 'd', 'keep.txt', name].sort());
    expect(readdirSync(path.join(h.repo.root, 'd'))).toEqual([]);
  });
});
