import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One RSA key set for the whole run: generating keys is most of a simulator's start-up time.
    globalSetup: ['./src/test-support/global-keys.ts'],
    reporters: ['default', ['json', { outputFile: '../../test-results/wechat-sim.json' }]],
  },
});
