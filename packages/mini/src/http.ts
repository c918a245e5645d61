import Taro from '@tarojs/taro';
import { ApiError, userMessage } from './errors.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpResponse {
  status: number;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  body: unknown;
}

export interface SendOptions {
  method?: HttpMethod;
  data?: unknown;
  headers?: Record<string, string>;
}

const TIMEOUT_MS = 15_000;

/**
 * The only caller of `Taro.request` in the mini-programs. Resolves for every HTTP status and rejects
 * (NETWORK_ERROR) only when no response came back.
 */
export async function sendJson(url: string, options: SendOptions = {}): Promise<HttpResponse> {
  const method = options.method ?? 'GET';
  // wx.request always sends `content-type: application/json`, and Fastify rejects an empty body with
  // that type, so bodiless writes send `{}`.
  const data = method === 'GET' ? options.data : (options.data ?? {});
  try {
    const res = await Taro.request({
      url,
      method,
      data: data as Record<string, unknown> | undefined,
      header: method === 'GET' ? { ...options.headers } : { 'content-type': 'application/json', ...options.headers },
      dataType: 'json',
      timeout: TIMEOUT_MS,
    });
    return { status: res.statusCode, body: res.data ?? null };
  } catch (cause) {
    throw new ApiError('NETWORK_ERROR', userMessage('NETWORK_ERROR'), 0, cause);
  }
}

/**
 * The only caller of `Taro.uploadFile`: one file as multipart/form-data (wx.uploadFile in weapp; in H5 Taro reads
 * the chosen file's blob URL into a FormData). Resolves for every HTTP status, like sendJson.
 */
export async function sendFile(
  url: string,
  file: { filePath: string; name: string },
  headers: Record<string, string>,
): Promise<HttpResponse> {
  try {
    const res = await Taro.uploadFile({
      url,
      filePath: file.filePath,
      name: file.name,
      header: headers,
      timeout: TIMEOUT_MS,
      // H5: Taro's upload sends cookies by default, which the API's CORS (no credentials) would refuse.
      withCredentials: false,
    });
    return { status: res.statusCode, body: parseJson(res.data) };
  } catch (cause) {
    throw new ApiError('NETWORK_ERROR', userMessage('NETWORK_ERROR'), 0, cause);
  }
}

/** uploadFile hands back the body as text. */
function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
