import type { SimClock } from '../clock.ts';
import { randomAlphanumeric } from '../random-ids.ts';
import { type WechatErrorBody, wechatError } from './wechat-error.ts';

/** getPhoneNumber codes are single-use and expire after 5 minutes, like login codes. */
const CODE_LIFETIME_MS = 5 * 60 * 1000;

export interface PhoneInfo {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
  watermark: { timestamp: number; appid: string };
}

interface PendingPhoneCode {
  appid: string;
  purePhoneNumber: string;
  issuedAt: number;
  used: boolean;
}

/** Stand-in for the button's getPhoneNumber event (手机号快速验证) and the server's exchange of its code. */
export interface PhoneCodeBook {
  issue(appid: string, purePhoneNumber: string): { code: string };
  redeem(appid: string, code: string): { phone_info: PhoneInfo } | WechatErrorBody;
}

export function createPhoneCodeBook(clock: SimClock): PhoneCodeBook {
  const codes = new Map<string, PendingPhoneCode>();
  return {
    issue: (appid, purePhoneNumber) => {
      const code = randomAlphanumeric(32);
      codes.set(code, { appid, purePhoneNumber, issuedAt: clock.now(), used: false });
      return { code };
    },
    redeem: (appid, code) => {
      const pending = codes.get(code);
      const now = clock.now();
      if (!pending || pending.used || pending.appid !== appid || now - pending.issuedAt > CODE_LIFETIME_MS) {
        return wechatError(40029, 'invalid code,');
      }
      pending.used = true;
      return {
        phone_info: {
          phoneNumber: pending.purePhoneNumber,
          purePhoneNumber: pending.purePhoneNumber,
          countryCode: '86',
          watermark: { timestamp: Math.floor(now / 1000), appid },
        },
      };
    },
  };
}
