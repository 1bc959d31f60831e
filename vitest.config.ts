import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Polls wait for a real DC, worker or browser under a loaded 2-core CI machine: 1 s (the default) is a race.
    expect: { poll: { timeout: 5_000 } },
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
