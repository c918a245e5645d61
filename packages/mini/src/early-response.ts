import type { HttpResponse } from './http.ts';

/**
 * Answers to GET requests an H5 page sent before its bundle had loaded (apps/customer/src/early-requests.js,
 * inlined into index.html), keyed by path and query as request() spells them. Each is taken at most once, and
 * only by a request made with the same access token soon after: later, the data may have changed.
 */
export interface EarlyRequest {
  token: string;
  startedAt: number;
  response: Promise<HttpResponse>;
}

declare global {
  interface Window {
    __LUMI_EARLY__?: Record<string, EarlyRequest | undefined>;
  }
}

/** Older than this, an early answer is not used (the page asked for it at load; a later visit asks afresh). */
const FRESH_MS = 15_000;

/** The path with its GET parameters, in the order given: how early-requests.js names what it asked for. */
export function requestKey(path: string, data: unknown): string {
  if (!data || typeof data !== 'object') return path;
  const query = new URLSearchParams(
    Object.entries(data as Record<string, unknown>).map(([key, value]) => [key, String(value)]),
  ).toString();
  return query ? `${path}?${query}` : path;
}

/**
 * The early answer for `key`, if one was sent with `token` and is fresh; null otherwise (then the caller sends the
 * request itself). An early request that failed on the network resolves to null too, so the caller simply asks
 * again.
 */
export function takeEarlyResponse(key: string, token: string, now = Date.now()): Promise<HttpResponse | null> | null {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return null;
  const early = window.__LUMI_EARLY__?.[key];
  if (!early) return null;
  // Once: a second request for the same data (a refresh, a return to the page) must reach the API.
  delete window.__LUMI_EARLY__?.[key];
  if (early.token !== token || now - early.startedAt > FRESH_MS) return null;
  return early.response.catch(() => null);
}
