import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/testing/global-setup.ts'],
    // Each file gets its own database, so files run in parallel; 2 cores → keep workers modest.
    maxWorkers: 4,
    testTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: '../../test-results/api.json' }]],
    hookTimeout: 60_000,
  },
});
