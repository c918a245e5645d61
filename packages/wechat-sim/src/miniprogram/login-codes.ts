import type { SimClock } from '../clock.ts';
import { randomAlphanumeric, randomToken } from '../random-ids.ts';
import { type WechatErrorBody, wechatError } from './wechat-error.ts';

const CODE_LIFETIME_MS = 5 * 60 * 1000;
const RATE_WINDOW_MS = 60 * 1000;
const RATE_LIMIT_PER_OPENID = 100;

export interface IssuedLoginCode {
  code: string;
  openid: string;
}

export interface Code2Session {
  openid: string;
  session_key: string;
  unionid?: string;
}

interface PendingCode {
  appid: string;
  openid: string;
  unionid?: string;
  issuedAt: number;
  used: boolean;
}

export interface LoginCodeBook {
  issue(appid: string, openid?: string, unionid?: string): IssuedLoginCode;
  redeem(appid: string, code: string): Code2Session | WechatErrorBody;
  /** Openids become known when a login code is issued for them, as a real user must log in first. */
  knowsOpenid(appid: string, openid: string): boolean;
  appidsOf(openid: string): string[];
}

/** Real openids are 28 characters starting with "o". */
function randomOpenid(): string {
  return `o${randomAlphanumeric(27)}`;
}

export function createLoginCodeBook(clock: SimClock): LoginCodeBook {
  const codes = new Map<string, PendingCode>();
  const openidsByApp = new Map<string, Set<string>>();
  const redemptions = new Map<string, number[]>();

  return {
    issue: (appid, openid = randomOpenid(), unionid) => {
      const code = randomAlphanumeric(32);
      codes.set(code, {
        appid,
        openid,
        ...(unionid === undefined ? {} : { unionid }),
        issuedAt: clock.now(),
        used: false,
      });
      const known = openidsByApp.get(appid) ?? new Set<string>();
      known.add(openid);
      openidsByApp.set(appid, known);
      return { code, openid };
    },
    redeem: (appid, code) => {
      const pending = codes.get(code);
      const now = clock.now();
      if (!pending || pending.used || pending.appid !== appid || now - pending.issuedAt > CODE_LIFETIME_MS) {
        return wechatError(40029, 'invalid code,');
      }
      const recent = (redemptions.get(pending.openid) ?? []).filter((at) => now - at < RATE_WINDOW_MS);
      if (recent.length >= RATE_LIMIT_PER_OPENID) {
        redemptions.set(pending.openid, recent);
        return wechatError(45011, 'api minute-quota reach limit  mustslower  retry next minute,');
      }
      recent.push(now);
      redemptions.set(pending.openid, recent);
      pending.used = true;
      return {
        openid: pending.openid,
        session_key: randomToken(16),
        ...(pending.unionid === undefined ? {} : { unionid: pending.unionid }),
      };
    },
    knowsOpenid: (appid, openid) => openidsByApp.get(appid)?.has(openid) ?? false,
    appidsOf: (openid) => [...openidsByApp].filter(([, openids]) => openids.has(openid)).map(([appid]) => appid),
  };
}
