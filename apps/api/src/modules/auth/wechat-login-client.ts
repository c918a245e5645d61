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

/** Exchanges a wx.login code for the user's openid: WeChat in production, the loopback simulator here. */
export interface WechatLoginClient {
  readonly appId: string;
  exchangeCode(code: string): Promise<WechatSession>;
}

// Codes that mean "this code is no good": the user must call wx.login again. Anything else is WeChat's trouble.
const BAD_CODE_ERRCODES = new Set([40029, 40163, 40226, 41008]);

export function createWechatLoginClient(options: WechatLoginClientOptions): WechatLoginClient {
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
      let payload: { openid?: string; unionid?: string; errcode?: number; errmsg?: string };
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
        payload = (await response.json()) as typeof payload;
      } catch (cause) {
        throw new AppError('WECHAT_UNAVAILABLE', 'WeChat login is unavailable, try again', {
          reason: (cause as Error).name,
        });
      }
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
  };
}
