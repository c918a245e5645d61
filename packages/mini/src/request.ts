import Taro from '@tarojs/taro';
import type { TokenPair } from '@lumi/shared';
import { getMiniConfig } from './config.ts';
import { requestKey, takeEarlyResponse } from './early-response.ts';
import { ApiError, userMessage } from './errors.ts';
import { type HttpMethod, type HttpResponse, sendFile, sendJson } from './http.ts';
import { clearSession, readSession, saveSession } from './session.ts';

/** Both apps keep their login page here, so an expired session can send the user back from anywhere. */
export const LOGIN_PAGE = '/pages/login/index';

export interface RequestOptions {
  method?: HttpMethod;
  /** JSON body; for GET, the query parameters. */
  data?: unknown;
  /** Send the stored bearer token (default). Login and refresh calls pass false. */
  auth?: boolean;
  /** Show a toast on failure (default). Pages that show the error themselves pass false. */
  toast?: boolean;
  /**
   * Sent as the Idempotency-Key header, which the API requires on every money-moving route. The caller picks
   * the key once per user action and sends the same key again when it retries that action, so a retry after a
   * lost response replays the first answer instead of charging twice (see idempotency.ts).
   */
  idempotencyKey?: string;
  /** Upload this file (a path from Taro.chooseImage) as the multipart field `name`, instead of a JSON body. */
  file?: { filePath: string; name: string };
}

/**
 * Calls the Lumi API. Resolves with the parsed body (undefined for 204); rejects with an ApiError
 * carrying the API's stable code. An expired access token is refreshed once and the call retried; a
 * session that cannot be refreshed is cleared and the user is sent to the login page.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return (await execute(path, options)) as T;
  } catch (cause) {
    const error =
      cause instanceof ApiError ? cause : new ApiError('BAD_RESPONSE', userMessage('BAD_RESPONSE'), 0, cause);
    // LOGIN_REQUIRED means "never logged in": the redirect to the login page is the feedback.
    if (options.toast !== false && error.code !== 'LOGIN_REQUIRED') showErrorToast(error);
    throw error;
  }
}

export function showErrorToast(error: ApiError): void {
  // icon 'none' is the only toast that shows more than 7 characters on weapp.
  void Taro.showToast({ title: error.message, icon: 'none', duration: 2500 });
}

async function execute(path: string, options: RequestOptions): Promise<unknown> {
  const auth = options.auth !== false;
  if (!auth) return parse(await send(path, options, null));

  const session = readSession();
  if (!session) {
    sendToLogin();
    throw new ApiError('LOGIN_REQUIRED', userMessage('LOGIN_REQUIRED'), 401);
  }

  // Without an early answer the request leaves at once, in this tick (no await in between).
  const early = sentEarly(path, options, session.accessToken);
  let res = (early && (await early)) ?? (await send(path, options, session.accessToken));
  if (res.status === 401 && errorCode(res) === 'TOKEN_EXPIRED') {
    const current = readSession();
    // Another call may have refreshed while this one was in flight. Its refresh token is spent then:
    // refreshing with it again would be refused and log the user out, so reuse the new access token.
    const token =
      current && current.accessToken !== session.accessToken
        ? current.accessToken
        : (await refreshSession(session.refreshToken))?.accessToken;
    if (token) res = await send(path, options, token);
  }
  if (res.status === 401) {
    clearSession();
    sendToLogin();
  }
  return parse(res);
}

/** A GET the H5 page already sent before the app loaded (see early-response.ts); null when there is none. */
function sentEarly(path: string, options: RequestOptions, accessToken: string): Promise<HttpResponse | null> | null {
  if ((options.method ?? 'GET') !== 'GET') return null;
  return takeEarlyResponse(requestKey(path, options.data), accessToken);
}

function send(path: string, options: RequestOptions, accessToken: string | null): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  // The retry after a token refresh goes through here too and carries the same key: it is the same request.
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (options.file) return sendFile(`${getMiniConfig().apiBase}${path}`, options.file, headers);
  return sendJson(`${getMiniConfig().apiBase}${path}`, {
    method: options.method ?? 'GET',
    data: options.data,
    headers,
  });
}

let refreshInFlight: Promise<TokenPair | null> | null = null;

/**
 * POST /auth/refresh, shared by every call that hit TOKEN_EXPIRED at the same moment: refresh tokens
 * rotate, so two parallel refreshes with the same token would make the second fail and log the user out.
 * Resolves null when the API refuses the refresh token; network errors reject and keep the session.
 */
function refreshSession(refreshToken: string): Promise<TokenPair | null> {
  refreshInFlight ??= (async () => {
    try {
      const res = await sendJson(`${getMiniConfig().apiBase}/auth/refresh`, {
        method: 'POST',
        data: { refreshToken },
      });
      if (res.status !== 200 || !isTokenPair(res.body)) return null;
      saveSession(res.body);
      return res.body;
    } finally {
      refreshInFlight = null;
    }
  })();
  return refreshInFlight;
}

let loginRedirect: Promise<unknown> | null = null;

function sendToLogin(): void {
  const pages = Taro.getCurrentPages();
  const route = pages[pages.length - 1]?.route ?? '';
  if (`/${route.replace(/^\//, '')}` === LOGIN_PAGE) return;
  // A page that loads several things at once has every call fail together; relaunching once is enough, and a
  // second reLaunch while the first is under way makes WeChat flash the login page twice.
  if (loginRedirect) return;
  loginRedirect = Promise.resolve(Taro.reLaunch({ url: LOGIN_PAGE }))
    .catch(() => undefined)
    .finally(() => {
      loginRedirect = null;
    });
}

function parse(res: HttpResponse): unknown {
  if (res.status >= 200 && res.status < 300) return res.status === 204 ? undefined : res.body;
  const body = errorBody(res);
  if (!body) {
    throw new ApiError(
      res.status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE',
      userMessage('BAD_RESPONSE'),
      res.status,
      res.body,
    );
  }
  throw new ApiError(
    body.code,
    userMessage(body.code, body.message, res.status, body.details),
    res.status,
    body.details,
  );
}

/** Hand-checked rather than zod-parsed: zod would add far more to the main package than it saves here. */
function errorBody(res: HttpResponse): { code: string; message: string; details?: unknown } | null {
  const error = (res.body as { error?: unknown } | null)?.error as
    | { code?: unknown; message?: unknown; details?: unknown }
    | undefined;
  if (!error || typeof error.code !== 'string') return null;
  return { code: error.code, message: typeof error.message === 'string' ? error.message : '', details: error.details };
}

function errorCode(res: HttpResponse): string | undefined {
  return errorBody(res)?.code;
}

function isTokenPair(body: unknown): body is TokenPair {
  const b = body as Partial<TokenPair> | null;
  return typeof b?.accessToken === 'string' && typeof b.refreshToken === 'string';
}
