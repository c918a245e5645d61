/** An access token of one mini-program for WeChat's server APIs (subscribe messages, mini-program codes). */
export interface WechatAccessToken {
  /** The cached token, or a new one from stable_token; forceRefresh after WeChat called the cached one invalid. */
  token(forceRefresh?: boolean): Promise<string>;
}

export interface AccessTokenOptions {
  /** WECHAT_API_BASE: api.weixin.qq.com, or the simulator. */
  baseUrl: string;
  appId: string;
  secret: string;
  timeoutMs: number;
  /** Clock for the cache. */
  now?: () => number;
}

/** errcodes that mean "this access token is no good": refresh it (force_refresh) and try once more. */
export const TOKEN_INVALID_ERRCODES: ReadonlySet<number> = new Set([40001, 42001, 40014]);

/** POST JSON to WeChat's server API and read its JSON answer (errors are HTTP 200 {errcode, errmsg}). */
export async function postWechatJson(
  baseUrl: string,
  path: string,
  body: unknown,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return (await response.json()) as Record<string, unknown>;
}

/**
 * POST /cgi-bin/stable_token, cached until 5 minutes before the token expires. One per mini-program and process,
 * shared by every API that calls WeChat as that mini-program, so they refresh one token instead of racing.
 * A failure throws (the caller decides whether that is an SMS fallback or a 502).
 */
export function createWechatAccessToken(options: AccessTokenOptions): WechatAccessToken {
  const now = options.now ?? (() => Date.now());
  let cached: { token: string; refreshAt: number } | null = null;
  return {
    async token(forceRefresh = false) {
      if (!forceRefresh && cached && cached.refreshAt > now()) return cached.token;
      const payload = await postWechatJson(
        options.baseUrl,
        '/cgi-bin/stable_token',
        {
          grant_type: 'client_credential',
          appid: options.appId,
          secret: options.secret,
          ...(forceRefresh ? { force_refresh: true } : {}),
        },
        options.timeoutMs,
      );
      if (typeof payload.access_token !== 'string') {
        throw new Error(`stable_token failed: ${String(payload.errcode)} ${String(payload.errmsg)}`);
      }
      const expiresIn = typeof payload.expires_in === 'number' ? payload.expires_in : 7200;
      cached = { token: payload.access_token, refreshAt: now() + Math.max(60, expiresIn - 300) * 1000 };
      return cached.token;
    },
  };
}
