import type { SimClock } from '../clock.ts';
import { randomToken } from '../random-ids.ts';
import { type WechatErrorBody, wechatError } from './wechat-error.ts';

const TOKEN_LIFETIME_MS = 7200 * 1000;
/** Both WeChat token APIs hand out a new token in the last 5 minutes and keep the old one valid meanwhile. */
const HANDOVER_MS = 5 * 60 * 1000;
const FORCE_REFRESH_GAP_MS = 30 * 1000;
const FORCE_REFRESH_DAILY_LIMIT = 20;
const DAY_MS = 24 * 3600 * 1000;

export interface AccessTokenGrant {
  access_token: string;
  expires_in: number;
}

interface TokenRecord {
  appid: string;
  expiresAt: number;
  revoked: boolean;
}

export type TokenCheck = { appid: string } | WechatErrorBody;

export interface AccessTokenBook {
  /** POST /cgi-bin/stable_token semantics. */
  stable(appid: string, forceRefresh: boolean): AccessTokenGrant | WechatErrorBody;
  /** GET /cgi-bin/token semantics: a new token each call. */
  issue(appid: string): AccessTokenGrant;
  check(token: string | undefined): TokenCheck;
}

export function createAccessTokenBook(clock: SimClock): AccessTokenBook {
  const tokens = new Map<string, TokenRecord>();
  const stableByApp = new Map<string, string>();
  const regularByApp = new Map<string, string>();
  const forceRefreshesByApp = new Map<string, number[]>();

  const mint = (appid: string): string => {
    const token = randomToken(96);
    tokens.set(token, { appid, expiresAt: clock.now() + TOKEN_LIFETIME_MS, revoked: false });
    return token;
  };
  const grant = (token: string): AccessTokenGrant => {
    const record = tokens.get(token) as TokenRecord;
    return { access_token: token, expires_in: Math.floor((record.expiresAt - clock.now()) / 1000) };
  };
  // The old token stays usable for the handover window, not for its full remaining life.
  const retire = (token: string | undefined, now: number) => {
    const record = token === undefined ? undefined : tokens.get(token);
    if (record) record.expiresAt = Math.min(record.expiresAt, now + HANDOVER_MS);
  };

  return {
    stable: (appid, forceRefresh) => {
      const now = clock.now();
      const current = stableByApp.get(appid);
      const record = current === undefined ? undefined : tokens.get(current);
      if (forceRefresh) {
        const recent = (forceRefreshesByApp.get(appid) ?? []).filter((at) => now - at < DAY_MS);
        const last = recent[recent.length - 1];
        // WeChat ignores a force refresh within 30 s of the previous one rather than failing it.
        if (current !== undefined && record && last !== undefined && now - last < FORCE_REFRESH_GAP_MS)
          return grant(current);
        if (recent.length >= FORCE_REFRESH_DAILY_LIMIT) return wechatError(45009, 'reach max api daily quota limit,');
        recent.push(now);
        forceRefreshesByApp.set(appid, recent);
        if (record) record.revoked = true;
        const token = mint(appid);
        stableByApp.set(appid, token);
        return grant(token);
      }
      if (current !== undefined && record && !record.revoked && record.expiresAt - now > HANDOVER_MS)
        return grant(current);
      if (record && !record.revoked) retire(current, now);
      const token = mint(appid);
      stableByApp.set(appid, token);
      return grant(token);
    },
    issue: (appid) => {
      retire(regularByApp.get(appid), clock.now());
      const token = mint(appid);
      regularByApp.set(appid, token);
      return grant(token);
    },
    check: (token) => {
      const record = token === undefined ? undefined : tokens.get(token);
      if (!record || record.revoked)
        return wechatError(40001, 'invalid credential, access_token is invalid or not latest,');
      if (record.expiresAt <= clock.now()) return wechatError(42001, 'access_token expired,');
      return { appid: record.appid };
    },
  };
}
