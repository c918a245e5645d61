import { postWechatJson, TOKEN_INVALID_ERRCODES, type WechatAccessToken } from './access-token.ts';

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  /** Mini-program page the message opens. */
  page?: string;
  /** Template data: key → value (WeChat's value rules apply: thing ≤ 20 characters, amount without commas…). */
  data: Record<string, string>;
}

export type SubscribeSendResult = { ok: true; msgid: string } | { ok: false; errcode: number; errmsg: string };

/** Sends one subscribe message (订阅消息) through WeChat's server API. */
export interface SubscribeMessageSender {
  send(message: SubscribeMessage): Promise<SubscribeSendResult>;
}

export interface SubscribeClientOptions {
  /** WECHAT_API_BASE: api.weixin.qq.com, or the simulator. */
  baseUrl: string;
  /** The mini-program's access token, shared with its other server-API clients. */
  accessToken: WechatAccessToken;
  timeoutMs: number;
}

/**
 * POST /cgi-bin/message/subscribe/send with the mini-program's access token. A token WeChat calls invalid is
 * refreshed once (force_refresh) and the message retried. Transport failures come back as errcode −1 so the
 * caller can fall back to SMS.
 */
export function createSubscribeMessageClient(options: SubscribeClientOptions): SubscribeMessageSender {
  const token = (forceRefresh: boolean) => options.accessToken.token(forceRefresh);
  const postJson = (path: string, body: unknown) => postWechatJson(options.baseUrl, path, body, options.timeoutMs);

  async function sendOnce(message: SubscribeMessage, accessToken: string) {
    return postJson(`/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(accessToken)}`, {
      touser: message.openid,
      template_id: message.templateId,
      ...(message.page ? { page: message.page } : {}),
      lang: 'zh_CN',
      data: Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }])),
    });
  }

  return {
    async send(message) {
      try {
        let payload = await sendOnce(message, await token(false));
        if (typeof payload.errcode === 'number' && TOKEN_INVALID_ERRCODES.has(payload.errcode)) {
          payload = await sendOnce(message, await token(true));
        }
        const errcode = typeof payload.errcode === 'number' ? payload.errcode : -1;
        if (errcode === 0) return { ok: true, msgid: String(payload.msgid ?? '') };
        return { ok: false, errcode, errmsg: String(payload.errmsg ?? 'unknown error') };
      } catch (error) {
        return { ok: false, errcode: -1, errmsg: `WeChat unreachable: ${(error as Error).message}` };
      }
    },
  };
}
