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

/** A message as one customer will read it: the placeholders filled in for an example customer. */
export function previewText(template: string, example: { name: string; coupon: string; category: string }): string {
  return template
    .replaceAll('{name}', example.name)
    .replaceAll('{coupon}', example.coupon)
    .replaceAll('{category}', example.category);
}

/** What the coupon gives, e.g. 满¥200.00减¥50.00 · 30 天有效. */
export function offerText(offer: CouponOffer | null, formatFen: (fen: number) => string): string {
  if (!offer) return '无优惠券';
  const min = offer.minSpendFen > 0 ? `满${formatFen(offer.minSpendFen)}` : '';
  const what =
    offer.kind === 'amount_off'
      ? `${min}减${formatFen(offer.amountOffFen ?? 0)}`
      : offer.kind === 'percent_off'
        ? `${min}${(100 - (offer.percentOffBasisPoints ?? 0) / 100) / 10} 折`
        : `赠 ${offer.addonName ?? ''}`;
  return `${offer.title}：${what} · ${offer.validDays} 天有效`;
}
