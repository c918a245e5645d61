import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/testing/global-setup.ts'],
    // Each file gets its own database, so files run in parallel; 2 cores → keep workers modest.
    maxWorkers: 4,
    // Budgets for a busy shared 2-core CI machine; tests assert outcomes, never speed.
    testTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '../../test-results/api.json' }]],
    hookTimeout: 120_000,
  },
});
