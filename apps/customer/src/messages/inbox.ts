import { formatDateTime } from '@lumi/mini';
import type { MyMessage } from '@lumi/shared';
import { billDetailPage, CREDIT_PAGE, campaignPage, TIER_PAGE } from '../routes.ts';
import type { MyCampaign } from '../services/messages.ts';

/** One line of 消息: a notice or a campaign offer, with the page it opens. */
export interface InboxItem {
  key: string;
  title: string;
  note: string;
  timeText: string;
  unread: boolean;
  /** null when the notice has nothing more to show. */
  url: string | null;
  /** For notices: the id to mark read when it is opened. */
  messageId: number | null;
  campaignId: string | null;
}

const NOTICE_TITLES: Record<string, string> = {
  bill_to_confirm: '账单待确认',
  bill_settled: '消费已结账',
  bill_voided: '账单已撤销',
  bill_refunded: '账单已退款',
  dispute_answered: '您的疑问已答复',
  credit_reminder: '还款提醒',
  tier_change: '会员等级变更',
};

/** Where a notice leads: its bill, the credit page, the tier page. */
function noticeUrl(message: MyMessage): string | null {
  if (message.billId) return billDetailPage(message.billId);
  if (message.purpose === 'credit_reminder') return CREDIT_PAGE;
  if (message.purpose === 'tier_change') return TIER_PAGE;
  return null;
}

/** Notices newest first, the campaign offers she has not opened before them. */
export function inboxItems(messages: readonly MyMessage[], campaigns: readonly MyCampaign[]): InboxItem[] {
  const offers = campaigns.map((c) => ({
    key: `campaign:${c.id}`,
    title: c.title,
    note: c.body,
    timeText: '',
    unread: c.openedAt === null,
    url: campaignPage(c.id),
    messageId: null,
    campaignId: c.id,
  }));
  const notices = messages.map((m) => ({
    key: `message:${m.id}`,
    title: NOTICE_TITLES[m.purpose] ?? '门店通知',
    note: m.note ?? '',
    timeText: formatDateTime(m.createdAt),
    unread: m.readAt === null,
    url: noticeUrl(m),
    messageId: m.id,
    campaignId: null,
  }));
  return [...offers.filter((o) => o.unread), ...notices, ...offers.filter((o) => !o.unread)];
}
