import { taroTestConfig } from '@lumi/mini/vitest-preset';
import { defineConfig, mergeConfig } from 'vitest/config';

export default mergeConfig(
  taroTestConfig(),
  defineConfig({ test: { reporters: ['default', ['json', { outputFile: '../../test-results/customer.json' }]] } }),
);
