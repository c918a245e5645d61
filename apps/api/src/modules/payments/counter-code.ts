import { AppError } from '../../errors.ts';
import { TOKEN_INVALID_ERRCODES, type WechatAccessToken } from '../messaging/index.ts';

export interface MiniProgramCodeOptions {
  /** WECHAT_API_BASE: api.weixin.qq.com, or the simulator. */
  baseUrl: string;
  /** The customer mini-program's token: messaging keeps one per app, shared with its subscribe messages. */
  accessToken: WechatAccessToken;
  timeoutMs: number;
  /** WECHAT_CODE_ENV_VERSION: release in production (the page must be released: check_path), else trial/develop. */
  envVersion: 'release' | 'trial' | 'develop';
  now?: () => number;
}

export interface MiniProgramCodeRequest {
  scene: string;
  /** As WeChat names pages: no leading slash, no query. */
  page: string;
  /** Until when this code is worth keeping (the counter order's expiry). */
  keepUntil: Date;
}

/** 获取不限制的小程序码: the image as a data: URL. */
export interface MiniProgramCodes {
  codeFor(request: MiniProgramCodeRequest): Promise<string>;
}

/** WeChat busy or rate-limited: worth asking again later. Any other errcode is a refusal retrying will not change. */
const BUSY = new Set([-1, 45009, 45011]);
const CODE_WIDTH = 430;
/** Codes are small (tens of kB); a counter rarely has more than a few orders waiting at once. */
const MAX_CACHED = 200;

/**
 * POST /wxa/getwxacodeunlimit with the customer app's access token. The code for a scene never changes, so it
 * is kept (in this process) while its order can be paid: the staff screen re-renders and the beautician may
 * reopen the page without WeChat being asked again. A token WeChat calls invalid is refreshed once.
 */
export function createMiniProgramCodes(options: MiniProgramCodeOptions): MiniProgramCodes {
  const now = options.now ?? (() => Date.now());
  const cache = new Map<string, { dataUrl: string; until: number }>();

  const prune = () => {
    for (const [scene, entry] of cache) if (entry.until <= now()) cache.delete(scene);
    while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  };

  async function draw(request: MiniProgramCodeRequest, forceRefresh: boolean): Promise<Response> {
    const token = await options.accessToken.token(forceRefresh);
    return fetch(new URL(`/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, options.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        scene: request.scene,
        page: request.page,
        check_path: options.envVersion === 'release',
        env_version: options.envVersion,
        width: CODE_WIDTH,
      }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  }

  const errcodeOf = async (response: Response): Promise<number> => {
    const payload = (await response.json().catch(() => ({}))) as { errcode?: unknown };
    return typeof payload.errcode === 'number' ? payload.errcode : -1;
  };

  return {
    async codeFor(request) {
      prune();
      const cached = cache.get(request.scene);
      if (cached) return cached.dataUrl;
      let response: Response;
      let errcode: number | null = null;
      try {
        response = await draw(request, false);
        if (isJson(response)) errcode = await errcodeOf(response);
        if (errcode !== null && TOKEN_INVALID_ERRCODES.has(errcode)) {
          response = await draw(request, true);
          errcode = isJson(response) ? await errcodeOf(response) : null;
        }
      } catch (cause) {
        throw new AppError('WECHAT_UNAVAILABLE', 'WeChat is unavailable, try again', {
          reason: (cause as Error).name,
        });
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (errcode !== null || !response.ok || !contentType.startsWith('image/')) {
        const code = errcode ?? -1;
        if (BUSY.has(code) || TOKEN_INVALID_ERRCODES.has(code)) {
          throw new AppError('WECHAT_UNAVAILABLE', 'WeChat could not draw the code now, try again', { errcode: code });
        }
        throw new AppError('WECHAT_CODE_REFUSED', 'WeChat refused to draw the mini-program code', { errcode: code });
      }
      const image = Buffer.from(await response.arrayBuffer());
      const dataUrl = `data:${contentType.split(';')[0]};base64,${image.toString('base64')}`;
      cache.set(request.scene, { dataUrl, until: request.keepUntil.getTime() });
      return dataUrl;
    },
  };
}

const isJson = (response: Response) => (response.headers.get('content-type') ?? '').includes('json');
