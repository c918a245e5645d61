// Vitest settings for code that imports Taro, shared by packages/mini and both apps. Plain JS because
// Vite loads a config's imports from linked workspace packages with Node, which cannot run TypeScript.
import { fileURLToPath } from 'node:url';

const testing = (file) => fileURLToPath(new URL(`./src/testing/${file}`, import.meta.url));

/**
 * `@tarojs/taro` and `@tarojs/components` become the stand-ins in src/testing, and `process.env.TARO_*`
 * get test values (H5 by default; a test may `vi.stubEnv('TARO_ENV', 'weapp')`).
 * @returns {import('vitest/config').ViteUserConfig}
 */
export function taroTestConfig() {
  return {
    resolve: {
      alias: {
        '@tarojs/taro': testing('fake-taro.ts'),
        '@tarojs/components': testing('taro-components.tsx'),
      },
      dedupe: ['react', 'react-dom'],
    },
    test: {
      environment: 'jsdom',
      setupFiles: [testing('setup.ts')],
      env: {
        TARO_ENV: 'h5',
        TARO_APP_API: 'http://api.test',
        TARO_APP_WECHAT_SIM: 'http://sim.test',
        TARO_APP_ID: 'wx-test-app',
        TARO_APP_TENANT: 'demo',
        TARO_APP_DEMO_OPENID: 'demo-customer-001',
      },
      include: ['src/**/*.test.{ts,tsx}'],
      // CI is a busy shared 2-core machine: rendering a page can take far longer than vitest's 5 s default there.
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  };
}
