import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

// The published tarball, as npm would build it from the current dist/ (built by `npm test`).
async function packedPaths(): Promise<string[]> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
  return pack!.files.map((file) => file.path);
}

describe('the npm package', () => {
  it('ships the built program and its licence, without source maps', async () => {
    expect(existsSync(join(root, 'dist/src/cli.js')), 'run `npm run build` first').toBe(true);
    const paths = await packedPaths();
    expect(paths).toContain('dist/src/cli.js');
    expect(paths).toContain('LICENSE');
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
  }, 60_000);
});
