import { ledgerDeps } from '../ledger-deps.ts';
import type { ApprovalRequest, Bill, CheckoutSettings, CustomerProfile, Dispute, TopUpPlan } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/database.ts';
import { runCreditOverdue, runCreditReminders } from '../modules/credit/index.ts';
import { expirePackageCards } from '../modules/ledger/index.ts';
import { runSegmentationNightly, segmentationDeps } from '../modules/segmentation/index.ts';
import { askManagerForDiscountAndTransfer } from './demo-approvals.ts';
import { deskNow } from './demo-clock.ts';
import { deskTakingsToday } from './demo-desk-day.ts';
import { mergeWalkInWithSignUp } from './demo-merge.ts';
import { type Member, openAndSettle, type Salon } from './demo-salon.ts';
import { scheduleWeekendOffer } from './demo-scheduled-campaign.ts';
import { sendCareSurvey } from './demo-survey.ts';

export interface TodayCounts {
  expiredCards: number;
  frozenLines: number;
  limitRequests: number;
  disputes: number;
  approvalRequests: number;
}

/**
 * This morning at the salon: last night's jobs (card expiry, credit overdue and reminders, segmentation), then
 * — in opening hours (deskNow) — what a manager finds waiting — limit requests to approve, customers' questions about bills — and 林小雅's
 * birthday coupon and a bill waiting for her confirmation.
 */
export async function seedToday(salon: Salon, members: Member[], now: Date): Promise<TodayCounts> {
  const { db, till } = salon;
  till.now = now;
  const tenantId = members[0] ? await tenantOf(salon) : '';
  const clock = { now: () => till.now };
  const expiredCards = await expirePackageCards(db, ledgerDeps(clock.now), tenantId);
  const overdue = await runCreditOverdue(db, clock, { tenantId });
  await runCreditReminders(db, till.app.messaging, { tenantId });

  // The night's jobs ran on the real clock; the desk works in opening hours. Two beauticians work this morning
  // side by side, each from the desk's start, so neither's hour of treatments runs past the real time.
  const deskStart = new Date(deskNow(now.getTime()));
  till.now = deskStart;
  const approvalRequests = await askManagerToVoid(salon, members);
  till.now = deskStart;

  const xiaoya = members.find((m) => m.index === 0);
  if (xiaoya) await xiaoyaToday(salon, xiaoya);
  const limitRequests = await fileLimitRequests(salon, members);
  const disputes = await questionRecentBills(salon, members);
  await frontDeskToday(salon, members);
  await mergeWalkInWithSignUp(salon);
  await deskTakingsToday(salon, members, deskStart);
  // Filed after the desk's bills, so no bill of the morning uses the sessions the transfer request names.
  till.now = deskStart;
  const otherApprovals = await askManagerForDiscountAndTransfer(salon, members);

  // Segments and tiers as of now, as the manager's screens will read them.
  till.now = now;
  await runSegmentationNightly(db, segmentationDeps(till.config, till.app.messaging));
  // The manager sends the care survey from the desk, reading the night's segments.
  till.now = deskStart;
  await sendCareSurvey(salon);
  await scheduleWeekendOffer(salon, now);
  return {
    expiredCards,
    frozenLines: overdue.frozen,
    limitRequests,
    disputes,
    approvalRequests: approvalRequests + otherApprovals,
  };
}

async function tenantOf(salon: Salon): Promise<string> {
  const [row] = await queryRows<{ tenant_id: string }>(
    salon.db,
    sql`select tenant_id from staff where id = ${salon.owner.id}`,
  );
  return row?.tenant_id as string;
}

async function xiaoyaToday(salon: Salon, xiaoya: Member): Promise<void> {
  const { till } = salon;
  await till.as(xiaoya.store.manager).post(`/staff/customers/${xiaoya.id}/coupons`, {
    offer: { kind: 'amount_off', title: '生日礼遇', amountOffFen: 8_800, minSpendFen: 38_800, validDays: 30 },
    reason: '生日月会员礼',
  });
  // The salon asks before deducting for this one bill (a new eye treatment she has not had before): the owner
  // switches to confirm-first with a three-day hold, the beautician bills it, and the salon switches back.
  const owner = till.as(salon.owner);
  const before = await owner.get<CheckoutSettings>('/staff/checkout/settings');
  await owner.put('/staff/checkout/settings', { confirmationMode: 'confirm_first', holdMinutes: 3 * 24 * 60 });
  const eyes = salon.services.find((s) => s.name === '眼部抗皱护理');
  if (!eyes) throw new Error('the demo catalogue has no 眼部抗皱护理');
  const performerIds = [xiaoya.store.beautician.id];
  await openAndSettle(
    salon,
    till.as(xiaoya.store.beautician),
    { storeId: xiaoya.store.id, customerId: xiaoya.id, lines: [{ type: 'service', serviceId: eyes.id, performerIds }] },
    (bill: Bill) => [{ method: 'stored_value', amountFen: bill.totalFen }],
  );
  await owner.put('/staff/checkout/settings', {
    confirmationMode: before.confirmationMode,
    holdMinutes: before.holdMinutes,
  });
}

/** Beauticians ask for 挂账 for three loyal customers; the manager has not decided yet (审批中). */
async function fileLimitRequests(salon: Salon, members: Member[]): Promise<number> {
  const candidates = members.filter((m) => m.plan.rhythm === 'regular' && m.plan.creditLimitFen === 0).slice(0, 3);
  for (const [i, m] of candidates.entries()) {
    await salon.till.as(m.store.beautician).post(`/staff/customers/${m.id}/credit-requests`, {
      requestedLimitFen: [200_000, 300_000, 800_000][i] ?? 200_000,
      reason:
        ['常来做补水，想办疗程卡先挂账', '老顾客，希望月底统一结算', '准备做光子嫩肤疗程，申请较高额度'][i] ??
        '申请挂账',
    });
  }
  return candidates.length;
}

/**
 * Two customers question last week's bills from their phones: one question the manager has answered, one still
 * open in the queue (待处理).
 */
async function questionRecentBills(salon: Salon, members: Member[]): Promise<number> {
  const byId = new Map(members.map((m) => [m.id, m]));
  const recent = await queryRows<{ id: string; customer_id: string }>(
    salon.db,
    sql`select b.id, b.customer_id from bills b join customers c on c.id = b.customer_id
        where b.status = 'settled' and b.dispute_until > ${salon.till.now.toISOString()}::timestamptz
          and c.name <> '林小雅'
        order by b.created_at desc limit 2`,
  );
  const reasons = ['护理时间比约定的短', '产品数量和我拿到的不一致'];
  for (const [i, bill] of recent.entries()) {
    const member = byId.get(bill.customer_id);
    if (!member) continue;
    const asked = await salon.till
      .asCustomer(member.id)
      .post<Dispute[]>(`/me/bills/${bill.id}/disputes`, { reason: reasons[i] ?? '有疑问' });
    const open = asked.find((d) => d.status === 'open');
    if (i === 0 && open) {
      await salon.till.as(member.store.manager).post(`/staff/disputes/${open.id}/resolution`, {
        resolution: 'answer',
        answer: '已核实，当天护理时长不足，下次到店为您补足',
      });
    }
  }
  return recent.length;
}

/** What the beauticians wrote down about regulars, for the notes on the customer card (前台 · 会员卡). */
const NOTES = [
  ['对芒果过敏，面膜避开果酸类', '喜欢安静，护理时少聊天'],
  ['下午三点后才有空，周末优先约'],
  ['敏感肌，光子嫩肤前先做测试'],
];

/**
 * This morning at the front desk: notes on a few regulars (林小雅 first), and a walk-in the beautician registered
 * at the counter, who topped up with the smallest offer (充1000送200) and bought the trial card — so the front
 * desk's search, card, top-up and card-sale screens all have someone new beside the year's regulars.
 */
async function frontDeskToday(salon: Salon, members: Member[]): Promise<void> {
  const regulars = members.filter((m) => m.index === 0 || m.plan.rhythm === 'regular').slice(0, NOTES.length);
  for (const [i, m] of regulars.entries()) {
    for (const body of NOTES[i] ?? []) {
      await salon.till.as(m.store.beautician).post(`/staff/customers/${m.id}/notes`, { body });
    }
  }
  const store = members[0]?.store;
  if (!store) return;
  const desk = salon.till.as(store.beautician);
  const walkIn = await desk.post<CustomerProfile>('/staff/customers', {
    phone: '13900009901',
    name: '唐小姐',
    gender: 'female',
    source: 'walk_in',
    marketingConsent: true,
  });
  const [offer] = [...(await desk.get<TopUpPlan[]>('/staff/top-up-plans'))].sort((a, b) => a.payFen - b.payFen);
  if (offer) {
    await desk.post(`/staff/customers/${walkIn.id}/top-ups`, {
      storeId: store.id,
      amountFen: offer.payFen,
      method: 'card',
      planId: offer.id,
    });
  }
  const trialCard = salon.packagePlanIds.at(-1);
  if (trialCard) {
    await desk.post(`/staff/customers/${walkIn.id}/package-cards`, {
      storeId: store.id,
      planId: trialCard,
      method: 'cash',
    });
  }
  await desk.post(`/staff/customers/${walkIn.id}/notes`, { body: '第一次来，朋友推荐的小气泡清洁' });
}

/**
 * 请店长审批: this morning a beautician rang up 光子嫩肤 for the wrong customer and settled it in cash; voiding it is
 * above the salon's threshold, so she asked the manager, who has not decided yet.
 */
async function askManagerToVoid(salon: Salon, members: Member[]): Promise<number> {
  const member = members.find((m) => m.index !== 0);
  const photo = salon.services.find((s) => s.name === '光子嫩肤');
  if (!member || !photo) return 0;
  const beautician = salon.till.as(member.store.beautician);
  const bill = await openAndSettle(
    salon,
    beautician,
    {
      storeId: member.store.id,
      customerId: member.id,
      lines: [{ type: 'service', serviceId: photo.id, performerIds: [member.store.beautician.id] }],
    },
    (opened: Bill) => [{ method: 'cash', amountFen: opened.totalFen }],
  );
  await beautician.post<ApprovalRequest>(`/staff/bills/${bill.id}/approval-requests`, {
    kind: 'void',
    reason: '开错顾客，申请整单撤销后重新开单',
  });
  return 1;
}
