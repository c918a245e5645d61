import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.chaos.test.ts'],
    // One run at a time: it owns its cluster (restarts it) and starts two API processes.
    fileParallelism: false,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: '../../test-results/chaos.json' }]],
  },
});
