import { z } from 'zod';
import type { SimClock } from '../clock.ts';
import { drawCodeImage } from './code-image.ts';
import { type WechatErrorBody, wechatError } from './wechat-error.ts';

/** WeChat's rules for scene: at most 32 visible characters of digits, letters and !#$&'()*+,/:;=?@-._~ */
const SCENE_CHARACTERS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;
const ENV_VERSIONS = ['release', 'trial', 'develop'] as const;
const MIN_WIDTH = 280;
const MAX_WIDTH = 1280;

export const MiniProgramCodeBodySchema = z.object({
  scene: z.unknown().optional(),
  page: z.string().optional(),
  check_path: z.boolean().optional(),
  env_version: z.string().optional(),
  width: z.number().optional(),
  auto_color: z.boolean().optional(),
  line_color: z.record(z.string(), z.unknown()).optional(),
  is_hyaline: z.boolean().optional(),
});
export type MiniProgramCodeBody = z.infer<typeof MiniProgramCodeBodySchema>;

/** One call of getwxacodeunlimit that WeChat answered with an image. */
export interface MiniProgramCodeRecord {
  appid: string;
  scene: string;
  /** '' is the mini-program's home page. */
  page: string;
  checkPath: boolean;
  envVersion: (typeof ENV_VERSIONS)[number];
  width: number;
  at: string;
}

export interface MiniProgramCodeFilter {
  appid?: string;
  scene?: string;
}

/** POST /wxa/getwxacodeunlimit (获取不限制的小程序码): an image for a scene and page, or WeChat's errcode JSON. */
export interface MiniProgramCodeBook {
  create(appid: string, body: MiniProgramCodeBody): { image: Buffer; record: MiniProgramCodeRecord } | WechatErrorBody;
  /** The pages of the app's released version: with check_path (the default) page must be one of them. */
  publishPages(appid: string, pages: string[]): void;
  codes(filter?: MiniProgramCodeFilter): MiniProgramCodeRecord[];
}

export function createMiniProgramCodeBook(clock: SimClock): MiniProgramCodeBook {
  const published = new Map<string, Set<string>>();
  const records: MiniProgramCodeRecord[] = [];
  return {
    create: (appid, body) => {
      const { scene } = body;
      if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32) {
        return wechatError(40169, 'invalid length for scene, or the data is not json string');
      }
      if (!SCENE_CHARACTERS.test(scene)) return wechatError(40129, 'invalid scene');
      const envVersion = body.env_version ?? 'release';
      if (!(ENV_VERSIONS as readonly string[]).includes(envVersion)) return wechatError(40097, 'invalid args');
      const page = body.page ?? '';
      const checkPath = body.check_path ?? true;
      // No leading slash and no query string: parameters belong in scene.
      if (page.startsWith('/') || page.includes('?')) return wechatError(41030, 'invalid page');
      if (checkPath && page !== '' && !published.get(appid)?.has(page)) return wechatError(41030, 'invalid page');
      const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.round(body.width ?? 430)));
      const record: MiniProgramCodeRecord = {
        appid,
        scene,
        page,
        checkPath,
        envVersion: envVersion as MiniProgramCodeRecord['envVersion'],
        width,
        at: new Date(clock.now()).toISOString(),
      };
      records.push(record);
      return { image: drawCodeImage({ appid, scene, page, width }), record };
    },
    publishPages: (appid, pages) => published.set(appid, new Set(pages)),
    codes: (filter = {}) =>
      records.filter(
        (r) =>
          (filter.appid === undefined || r.appid === filter.appid) &&
          (filter.scene === undefined || r.scene === filter.scene),
      ),
  };
}
