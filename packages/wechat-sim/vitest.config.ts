import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Budgets for a busy shared 2-core CI machine, not an idle laptop (RSA key generation is slow there).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One RSA key set for the whole run: generating keys is most of a simulator's start-up time.
    globalSetup: ['./src/test-support/global-keys.ts'],
    reporters: ['default', ['json', { outputFile: '../../test-results/wechat-sim.json' }]],
  },
});
