// Recognises test files by the conventions of the common ecosystems, so the
// user is warned when the agent edits the tests it is supposed to satisfy.
import type { FileChangeSummary } from '../tool.js';

const TEST_DIRECTORIES = new Set(['test', 'tests', '__tests__']);
const TEST_FILE_NAMES = [/\.(?:test|spec)\.[^/]+$/, /_test\.go$/, /^test_.*\.py$/, /_test\.py$/];

export function looksLikeTestPath(path: string): boolean {
  const parts = path.split('/');
  const name = parts.at(-1) ?? '';
  return parts.slice(0, -1).some((dir) => TEST_DIRECTORIES.has(dir)) || TEST_FILE_NAMES.some((re) => re.test(name));
}

/** "touches test files: a, b" when any path (or move destination) looks like a test. */
export function testFileWarning(files: readonly FileChangeSummary[]): string | undefined {
  const paths = files.flatMap((file) => [file.path, ...(file.movedTo ? [file.movedTo] : [])]);
  const tests = [...new Set(paths.filter(looksLikeTestPath))];
  return tests.length > 0 ? `touches test files: ${tests.join(', ')}` : undefined;
}
