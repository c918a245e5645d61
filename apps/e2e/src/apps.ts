import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type MiniAppName = 'customer' | 'staff';
export type TaroTarget = 'weapp' | 'h5';

const appsDir = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export const MINI_APPS: readonly MiniAppName[] = ['customer', 'staff'];

export const APP_IDS: Record<MiniAppName, string> = {
  customer: 'wx0000000000customer',
  staff: 'wx00000000000000staff',
};

export function appDir(app: MiniAppName): string {
  return path.join(appsDir, app);
}

/** Where `taro build --type <target>` writes (outputRoot is dist/<TARO_ENV>, see packages/mini/taro-config.cjs). */
export function distDir(app: MiniAppName, target: TaroTarget): string {
  return path.join(appDir(app), 'dist', target);
}

export const RESULTS_DIR = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../test-results');
