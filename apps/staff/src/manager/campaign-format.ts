import { couponValueText, formatDateTime, minSpendText } from '@lumi/mini';
import { type Campaign, type CouponOffer, SEGMENT_LABELS } from '@lumi/shared';

export const CAMPAIGN_STATUS_LABELS: Record<Campaign['status'], string> = {
  draft: '草稿',
  scheduled: '待发送',
  sending: '发送中',
  completed: '已完成',
  cancelled: '已取消',
};

export const CHANNEL_LABELS: Record<Campaign['channels'][number], string> = {
  wechat: '微信消息',
  sms: '短信',
  in_app: '小程序横幅',
};

/** Who the campaign is for, as a manager reads it. */
export function audienceText(audience: Campaign['audience']): string {
  return audience.type === 'segments' ? audience.segments.map((s) => SEGMENT_LABELS[s]).join('、') : '自定义客群';
}

/** Whose name, coupon and favourite treatment a preview fills in. */
export interface PreviewExample {
  name: string;
  coupon: string;
  category: string;
}

/** The example customer when the audience gives none by name (or the page has no audience list at hand). */
const EXAMPLE_CUSTOMER = { name: '林小雅', category: '面部护理' };

/** The example a preview speaks to: a customer of the audience when known, with the campaign's coupon. */
export function previewExample(name: string | undefined, offer: CouponOffer | null | undefined): PreviewExample {
  return { ...EXAMPLE_CUSTOMER, name: name ?? EXAMPLE_CUSTOMER.name, coupon: offer?.title ?? '优惠券' };
}

/** A message as one customer will read it: the placeholders filled in for an example customer. */
export function previewText(template: string, example: PreviewExample): string {
  return template
    .replaceAll('{name}', example.name)
    .replaceAll('{coupon}', example.coupon)
    .replaceAll('{category}', example.category);
}

/** What the coupon gives, in the customer app's wording (@lumi/mini): 回归礼：立减 ¥50.00 · 满 ¥200.00 可用 · 30 天有效. */
export function offerText(offer: CouponOffer | null): string {
  if (!offer) return '无优惠券';
  return `${offer.title}：${couponValueText(offer)} · ${minSpendText(offer.minSpendFen)} · ${offer.validDays} 天有效`;
}

/** When it goes out: 定时 05-02 10:00 (quiet hours move a send inside them to their end), or 手动发送 for a draft. */
export function scheduleText(c: Pick<Campaign, 'status' | 'scheduledAt' | 'quietHours'>): string {
  if (!c.scheduledAt) return '草稿：在本页手动发送';
  const quiet = c.quietHours ? `，${c.quietHours.start}–${c.quietHours.end} 之间顺延至 ${c.quietHours.end}` : '';
  return `定时发送 ${formatDateTime(c.scheduledAt)}${quiet}`;
}

/** 每位顾客 30 天内最多 2 条活动消息 (or 不限频次). */
export function capText(cap: Campaign['frequencyCap']): string {
  return cap ? `每位顾客 ${cap.perDays} 天内最多 ${cap.maxMessages} 条活动消息` : '不限发送频次';
}
