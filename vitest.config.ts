import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // The sample projects' own tests (bun's *.test.ts) are run by their runners, inside run_tests' tests.
    exclude: [...configDefaults.exclude, 'test/fixtures/projects/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores in CI: keep file-level parallelism modest so timing-sensitive
    // end-to-end tests (pseudo-terminals, child processes) are not starved.
    maxWorkers: 2,
  },
});
