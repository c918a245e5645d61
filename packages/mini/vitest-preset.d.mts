import type { ViteUserConfig } from 'vitest/config';

export declare function taroTestConfig(): ViteUserConfig;
