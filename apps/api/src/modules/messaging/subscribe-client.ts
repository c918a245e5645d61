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
  appId: string;
  secret: string;
  timeoutMs: number;
  /** Clock for the access-token cache. */
  now?: () => number;
}

const TOKEN_INVALID = new Set([40001, 42001, 40014]);

/**
 * POST /cgi-bin/stable_token for an access token (cached until 5 minutes before it expires), then
 * POST /cgi-bin/message/subscribe/send. A token WeChat calls invalid is refreshed once (force_refresh) and the
 * message retried. Transport failures come back as errcode −1 so the caller can fall back to SMS.
 */
export function createSubscribeMessageClient(options: SubscribeClientOptions): SubscribeMessageSender {
  const now = options.now ?? (() => Date.now());
  let cached: { token: string; refreshAt: number } | null = null;

  async function postJson(path: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(new URL(path, options.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  async function token(forceRefresh: boolean): Promise<string> {
    if (!forceRefresh && cached && cached.refreshAt > now()) return cached.token;
    const payload = await postJson('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: options.appId,
      secret: options.secret,
      ...(forceRefresh ? { force_refresh: true } : {}),
    });
    if (typeof payload.access_token !== 'string') {
      throw new Error(`stable_token failed: ${String(payload.errcode)} ${String(payload.errmsg)}`);
    }
    const expiresIn = typeof payload.expires_in === 'number' ? payload.expires_in : 7200;
    cached = { token: payload.access_token, refreshAt: now() + Math.max(60, expiresIn - 300) * 1000 };
    return cached.token;
  }

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
        if (typeof payload.errcode === 'number' && TOKEN_INVALID.has(payload.errcode)) {
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
