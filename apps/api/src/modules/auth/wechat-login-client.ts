import { AppError } from '../../errors.ts';

export interface WechatLoginClientOptions {
  baseUrl: string;
  appId: string;
  secret: string;
  timeoutMs: number;
}

export interface WechatSession {
  openid: string;
  unionid?: string;
}

/**
 * Exchanges a wx.login code for the user's openid, and a getPhoneNumber code for the phone the user shared:
 * WeChat in production, the loopback simulator here.
 */
export interface WechatLoginClient {
  readonly appId: string;
  exchangeCode(code: string): Promise<WechatSession>;
  /** The 11-digit mainland number (purePhoneNumber) behind a getPhoneNumber code. */
  phoneNumber(code: string): Promise<string>;
}

// Codes that mean "this code is no good": the user must call wx.login again. Anything else is WeChat's trouble.
const BAD_CODE_ERRCODES = new Set([40029, 40163, 40226, 41008]);

type Payload = Record<string, unknown> & { errcode?: number; errmsg?: string };

export function createWechatLoginClient(options: WechatLoginClientOptions): WechatLoginClient {
  async function call(url: URL, init: RequestInit = {}): Promise<Payload> {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
      return (await response.json()) as Payload;
    } catch (cause) {
      throw new AppError('WECHAT_UNAVAILABLE', 'WeChat is unavailable, try again', { reason: (cause as Error).name });
    }
  }
  const postJson = (path: string, body: unknown) =>
    call(new URL(path, options.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  return {
    appId: options.appId,
    async exchangeCode(code) {
      const url = new URL('/sns/jscode2session', options.baseUrl);
      url.search = new URLSearchParams({
        appid: options.appId,
        secret: options.secret,
        js_code: code,
        grant_type: 'authorization_code',
      }).toString();
      const payload = (await call(url)) as Payload & { openid?: string; unionid?: string };
      if (payload.errcode && BAD_CODE_ERRCODES.has(payload.errcode)) {
        throw new AppError('WECHAT_CODE_INVALID', 'The WeChat login code is invalid or was already used', {
          errcode: payload.errcode,
        });
      }
      if (!payload.openid) {
        throw new AppError('WECHAT_UNAVAILABLE', 'WeChat login failed, try again', { errcode: payload.errcode });
      }
      return payload.unionid ? { openid: payload.openid, unionid: payload.unionid } : { openid: payload.openid };
    },

    // A binding happens once per customer, so the stable token is asked for each time rather than cached:
    // stable_token hands back the same token until shortly before it expires.
    async phoneNumber(code) {
      const grant = await postJson('/cgi-bin/stable_token', {
        grant_type: 'client_credential',
        appid: options.appId,
        secret: options.secret,
      });
      if (typeof grant.access_token !== 'string') {
        throw new AppError('WECHAT_UNAVAILABLE', 'WeChat is unavailable, try again', { errcode: grant.errcode });
      }
      const payload = await postJson(
        `/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(grant.access_token)}`,
        { code },
      );
      const info = payload.phone_info as
        | { purePhoneNumber?: unknown; countryCode?: unknown; watermark?: { appid?: unknown } }
        | undefined;
      if (payload.errcode === 40029 || payload.errcode === 40013 || payload.errcode === 41008) {
        throw new AppError('PHONE_CODE_INVALID', 'The phone-number code is invalid or was already used', {
          errcode: payload.errcode,
        });
      }
      if (
        payload.errcode !== 0 ||
        typeof info?.purePhoneNumber !== 'string' ||
        info.watermark?.appid !== options.appId
      ) {
        throw new AppError('WECHAT_UNAVAILABLE', 'WeChat could not give the phone number, try again', {
          errcode: payload.errcode,
        });
      }
      if (info.countryCode !== '86' || !/^1\d{10}$/.test(info.purePhoneNumber)) {
        throw new AppError('BUSINESS_RULE_VIOLATED', 'Only mainland China mobile numbers can be bound', {
          field: 'phone',
        });
      }
      return info.purePhoneNumber;
    },
  };
}
