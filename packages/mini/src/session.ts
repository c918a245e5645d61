import Taro from '@tarojs/taro';
import type { TokenPair } from '@lumi/shared';

/** Each mini-program has its own storage, so one key serves both apps. */
const SESSION_KEY = 'lumi.session';

export interface StoredSession {
  accessToken: string;
  refreshToken: string;
}

export function readSession(): StoredSession | null {
  const value: unknown = Taro.getStorageSync(SESSION_KEY);
  if (
    value &&
    typeof value === 'object' &&
    typeof (value as StoredSession).accessToken === 'string' &&
    typeof (value as StoredSession).refreshToken === 'string'
  ) {
    return value as StoredSession;
  }
  return null;
}

export function saveSession(tokens: Pick<TokenPair, 'accessToken' | 'refreshToken'>): void {
  Taro.setStorageSync(SESSION_KEY, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
}

export function clearSession(): void {
  Taro.removeStorageSync(SESSION_KEY);
}

export function hasSession(): boolean {
  return readSession() !== null;
}
