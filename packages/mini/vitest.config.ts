import { defineConfig, mergeConfig } from 'vitest/config';
import { taroTestConfig } from './vitest-preset.mjs';

export default mergeConfig(
  taroTestConfig(),
  defineConfig({ test: { reporters: ['default', ['json', { outputFile: '../../test-results/mini.json' }]] } }),
);
