// Finds files shipped with the package (prompts, queries), whether the code
// runs from the TypeScript sources (tests) or from the compiled dist/ tree.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'prompts'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('gptoss-agent: cannot find the package root (prompts/ is missing)');
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot();

export function packagePath(...segments: string[]): string {
  return path.join(packageRoot, ...segments);
}

/** A prompt file's text without its trailing newline, e.g. promptText('tools/grep.md'). */
export function promptText(name: string): string {
  return readFileSync(packagePath('prompts', name), 'utf8').trimEnd();
}
