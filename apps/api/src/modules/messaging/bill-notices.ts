import type { BillEvent, BillNotice } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { contactJsonSql, contactOfJson } from './contacts.ts';
import { deliver, type DeliveryOutcome, type MessagingDeps } from './outbound.ts';
import { recordMessageAlone } from './record-alone.ts';
import { messagingSettingsOf } from './settings.ts';
import { wechatAmount, wechatTime } from './templates.ts';

/**
 * Per event: the line the subscribe message ends with (a `thing`, ≤ 20 characters) and the SMS sentence.
 * A Record over BillEvent, so an event added to the contract does not compile until it has its words here.
 */
const WORDING: Record<BillEvent, { note: string; sms: (bill: string, amount: string) => string }> = {
  bill_to_confirm: {
    note: '请在小程序内确认本次扣款',
    sms: (bill, amount) => `账单 ${bill} 共 ${amount} 待您确认，请在小程序「我的账单」中确认。`,
  },
  bill_settled: {
    note: '消费已完成，如有疑问可反馈',
    sms: (bill, amount) => `账单 ${bill} 已结算 ${amount}，如有疑问可在小程序中反馈。`,
  },
  bill_voided: {
    note: '账单已撤销，款项原路退回',
    sms: (bill, amount) => `账单 ${bill}（${amount}）已撤销，款项将原路退回。`,
  },
  bill_refunded: {
    note: '已退款，款项原路退回',
    sms: (bill, amount) => `账单 ${bill} 已退款 ${amount}，款项将原路退回。`,
  },
  dispute_answered: {
    note: '您的疑问已有答复，点击查看',
    sms: (bill) => `您对账单 ${bill} 的疑问已有答复，请在小程序中查看。`,
  },
};

/** The customer mini-program's page for one bill (apps/customer: the `bills` subpackage's detail page). */
export const billPage = (billId: string) => `bills/detail/index?id=${billId}`;

/**
 * Tells the customer about a bill event (checkout's notifyCustomer hook): a subscribe message with the event's
 * template when they hold a consent for it, else an SMS when the tenant allows the fallback. Each event of a
 * bill is recorded once, so a repeated request (a replayed void) sends nothing more. Muted events send
 * nothing and record nothing.
 *
 * Every bill template has the same keys: character_string1 the bill number, amount2, thing3 the store,
 * time4 when it happened, thing5 what the customer should know or do.
 */
export async function notifyBill(
  db: Database,
  deps: MessagingDeps,
  notice: BillNotice,
): Promise<DeliveryOutcome | 'muted' | 'duplicate'> {
  // The tenant's name and settings and the customer's contact in one statement.
  const [tenant] = await queryRows<{ name: string; settings: unknown; contact: unknown }>(
    db,
    sql`select t.name, t.settings, ${contactJsonSql(notice.tenantId, notice.customerId, deps.customerAppId)} as contact
        from tenants t where t.id = ${notice.tenantId}`,
  );
  const contact = contactOfJson(tenant?.contact);
  const settings = messagingSettingsOf(tenant?.settings);
  if (settings.mutedBillEvents.includes(notice.event)) return 'muted';
  const amount = wechatAmount(notice.amountFen);
  const wording = WORDING[notice.event];
  const recorded = await recordMessageAlone(db, {
    tenantId: notice.tenantId,
    customerId: notice.customerId,
    purpose: notice.event,
    dedupeKey: ['bill', notice.billId, notice.event, notice.occurrenceId].filter(Boolean).join(':'),
    to: contact,
    wechat: {
      templateId: deps.templates[notice.event],
      page: billPage(notice.billId),
      data: {
        character_string1: notice.billNumber,
        amount2: amount,
        thing3: notice.storeName,
        time4: wechatTime(notice.at),
        thing5: wording.note,
      },
    },
    ...(settings.billSmsFallback
      ? {
          sms: {
            template: notice.event,
            text: `【${tenant?.name || notice.storeName}】${wording.sms(notice.billNumber, amount)}`,
            params: { bill: notice.billNumber, amount, store: notice.storeName },
          },
        }
      : {}),
    context: { billId: notice.billId },
    now: deps.now(),
  });
  return recorded ? deliver(db, deps, recorded) : 'duplicate';
}
