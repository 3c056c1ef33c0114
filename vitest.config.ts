import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores in CI: keep file-level parallelism modest so timing-sensitive
    // end-to-end tests (pseudo-terminals, child processes) are not starved.
    maxWorkers: 2,
  },
});
