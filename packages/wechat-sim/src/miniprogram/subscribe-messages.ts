import { z } from 'zod';
import type { SimClock } from '../clock.ts';
import { findInvalidTemplateValue } from './template-value-rules.ts';
import { type WechatErrorBody, wechatError } from './wechat-error.ts';

export const SubscribeMessageBodySchema = z.object({
  touser: z.string().min(1),
  template_id: z.string().min(1),
  page: z.string().optional(),
  data: z.record(z.string(), z.object({ value: z.string() })),
  miniprogram_state: z.enum(['developer', 'trial', 'formal']).optional(),
  lang: z.enum(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']).optional(),
});
export type SubscribeMessageBody = z.infer<typeof SubscribeMessageBodySchema>;

export interface SubscribeMessageRecord extends SubscribeMessageBody {
  msgid: number;
  appid: string;
  sentAt: string;
}

export interface SubscriptionGrant {
  appid: string;
  openid: string;
  templateId: string;
  remaining: number;
}

export interface MessageFilter {
  openid?: string;
  appid?: string;
  templateId?: string;
}

export interface SubscribeMessageBook {
  registerTemplate(appid: string | undefined, templateId: string, keys?: string[]): void;
  grant(appid: string, openid: string, templateId: string, count: number): SubscriptionGrant;
  send(appid: string, body: SubscribeMessageBody): { msgid: number } | WechatErrorBody;
  messages(filter?: MessageFilter): SubscribeMessageRecord[];
  subscriptions(openid?: string): SubscriptionGrant[];
}

export interface SubscribeMessageDeps {
  clock: SimClock;
  knowsOpenid(appid: string, openid: string): boolean;
  /** Any template id with this prefix counts as registered, so dev configs need no set-up call. */
  templatePrefix: string;
}

interface Template {
  keys: string[] | undefined;
}

export function createSubscribeMessageBook(deps: SubscribeMessageDeps): SubscribeMessageBook {
  // Templates keyed by "appid|templateId"; "*|templateId" serves every app.
  const templates = new Map<string, Template>();
  const quotas = new Map<string, SubscriptionGrant>();
  const sent: SubscribeMessageRecord[] = [];
  let nextMsgid = 2_000_000_000;

  const templateOf = (appid: string, templateId: string): Template | undefined =>
    templates.get(`${appid}|${templateId}`) ??
    templates.get(`*|${templateId}`) ??
    (templateId.startsWith(deps.templatePrefix) ? { keys: undefined } : undefined);

  return {
    registerTemplate: (appid, templateId, keys) => {
      templates.set(`${appid ?? '*'}|${templateId}`, { keys });
    },
    grant: (appid, openid, templateId, count) => {
      const key = `${appid}|${openid}|${templateId}`;
      const grant = quotas.get(key) ?? { appid, openid, templateId, remaining: 0 };
      grant.remaining += count;
      quotas.set(key, grant);
      return { ...grant };
    },
    send: (appid, body) => {
      if (!deps.knowsOpenid(appid, body.touser)) return wechatError(40003, 'invalid openid,');
      const template = templateOf(appid, body.template_id);
      if (!template) return wechatError(40037, 'invalid template_id,');
      const missing = template.keys?.find((key) => body.data[key] === undefined);
      if (missing !== undefined) return wechatError(47003, `argument invalid! data.${missing}.value is empty,`);
      const invalid = findInvalidTemplateValue(body.data);
      if (invalid !== undefined) return wechatError(47003, `argument invalid! data.${invalid}.value invalid,`);
      const grant = quotas.get(`${appid}|${body.touser}|${body.template_id}`);
      if (!grant || grant.remaining <= 0) return wechatError(43101, 'user refuse to accept the msg,');
      grant.remaining -= 1;
      nextMsgid += 1;
      sent.push({ ...body, msgid: nextMsgid, appid, sentAt: new Date(deps.clock.now()).toISOString() });
      return { msgid: nextMsgid };
    },
    messages: (filter = {}) =>
      sent.filter(
        (m) =>
          (filter.openid === undefined || m.touser === filter.openid) &&
          (filter.appid === undefined || m.appid === filter.appid) &&
          (filter.templateId === undefined || m.template_id === filter.templateId),
      ),
    subscriptions: (openid) =>
      [...quotas.values()].filter((g) => openid === undefined || g.openid === openid).map((g) => ({ ...g })),
  };
}
