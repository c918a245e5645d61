import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Builds all four mini-program bundles once, then starts the simulator, the API and the H5 servers.
    globalSetup: ['./src/global-setup.ts'],
    // One Chromium at a time: CI has two cores and the builds already used them.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '../../test-results/e2e.json' }]],
  },
});
