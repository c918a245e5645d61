import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Budgets for a busy shared 2-core CI machine, not an idle laptop (RSA key generation is slow there).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '../../test-results/shared.json' }]],
  },
});
