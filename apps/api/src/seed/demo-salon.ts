import type { Bill, BillLineInput, CustomerCredit, Tender, TransferResult, Wallet } from '@lumi/shared';
import type { Database } from '../db/database.ts';
import { shanghaiDate } from '../modules/ledger/index.ts';
import { pickFrom, type Random } from './demo-clock.ts';
import type { CustomerPlan } from './demo-plan.ts';
import type { DemoStaff, DemoTill, TillClient, TillError } from './demo-till.ts';

export interface DemoStore {
  id: string;
  beautician: DemoStaff;
  /** Who may void or refund above the threshold: the store manager, or the owner where there is none. */
  manager: DemoStaff;
}

export interface Salon {
  db: Database;
  tenantId: string;
  till: DemoTill;
  random: Random;
  stores: DemoStore[];
  owner: DemoStaff;
  services: { id: string; name: string; priceFen: number }[];
  products: { id: string; name: string }[];
  packagePlanIds: string[];
}

export interface Member {
  id: string;
  index: number;
  plan: CustomerPlan;
  store: DemoStore;
  visits: number;
  /** A wake-up coupon to use on the next visit. */
  couponId?: string;
  /** The one whose tab runs over until the overdue job freezes the line. */
  neverRepays: boolean;
}

const path = (m: Member, rest = '') => `/staff/customers/${m.id}${rest}`;
const shanghaiDay = shanghaiDate;
const addDays = (at: Date, days: number) => shanghaiDay(new Date(at.getTime() + days * 86_400_000));

/** 充值 at the till; the best offer the amount reaches applies (充1000送200 …). */
export async function topUp(salon: Salon, m: Member, amountFen: number): Promise<Wallet> {
  const method = salon.random() < 0.6 ? 'card' : 'cash';
  const result = await salon.till.as(m.store.beautician).post<TransferResult>(path(m, '/top-ups'), {
    storeId: m.store.id,
    amountFen,
    method,
    ...(method === 'card' ? { cardReference: `POS${String(salon.till.now.getTime()).slice(-6)}` } : {}),
  });
  return result.wallet as Wallet;
}

/** 办卡, from stored value when it covers the card, otherwise on a bank card. */
export async function sellCard(salon: Salon, m: Member, planId: string): Promise<void> {
  const staff = salon.till.as(m.store.beautician);
  const sell = (method: 'stored_value' | 'card') =>
    staff.post(path(m, '/package-cards'), { storeId: m.store.id, planId, method });
  await sell('stored_value').catch((error: unknown) => {
    if ((error as TillError).code !== 'LEDGER_INSUFFICIENT_BALANCE') throw error;
    return sell('card');
  });
}

export async function grantCredit(salon: Salon, m: Member): Promise<void> {
  await salon.till.as(m.store.manager).put(path(m, '/credit-line/limit'), {
    limitFen: m.plan.creditLimitFen,
    reason: '老顾客，消费稳定，开通挂账',
  });
}

/** What is due by now (and the next instalment if it falls this week) is paid at the desk, in cash or by card. */
export async function repayDue(salon: Salon, m: Member): Promise<boolean> {
  const staff = salon.till.as(m.store.beautician);
  const credit = await staff.get<CustomerCredit>(path(m, '/credit'));
  const soon = addDays(salon.till.now, 7);
  const dueFen = credit.overdueFen + (credit.nextDue && credit.nextDue.dueDate <= soon ? credit.nextDue.amountFen : 0);
  const amountFen = Math.min(dueFen, credit.owedFen);
  if (amountFen <= 0) return false;
  await staff.post(path(m, '/credit-repayments'), { storeId: m.store.id, amountFen, method: 'cash' });
  return true;
}

/**
 * A returning customer with a coupon books a full-price facial, so the coupon's minimum spend is met; the one
 * who never repays pays for treatments (on her tab), not with card sessions.
 */
function linesFor(salon: Salon, m: Member, wallet: Wallet, withCoupon: boolean): BillLineInput[] {
  const performerIds = [m.store.beautician.id];
  const card = wallet.packageCards.find((c) => !c.expired && c.sessionsLeft > 0);
  const services = withCoupon ? salon.services.filter((s) => s.priceFen >= 30_000) : salon.services;
  const lines: BillLineInput[] =
    card && !withCoupon && !m.neverRepays && salon.random() < 0.5
      ? [{ type: 'package_session', packageCardId: card.id, sessions: 1, performerIds }]
      : [{ type: 'service', serviceId: pickFrom(salon.random)(services).id, quantity: 1, performerIds }];
  if (salon.random() < 0.2) {
    const product = pickFrom(salon.random)(salon.products);
    lines.push({ type: 'product', productId: product.id, quantity: salon.random() < 0.3 ? 2 : 1, performerIds });
  }
  return lines;
}

/**
 * 组合支付 as the desk would take it: stored value when it covers the bill, stored value plus cash or card when it
 * falls short, the tab for customers with a credit line now and then (large bills in instalments), otherwise
 * cash or a bank card.
 */
function tendersFor(salon: Salon, m: Member, totalFen: number, wallet: Wallet, creditFen: number): Tender[] {
  if (totalFen === 0) return [];
  const random = salon.random;
  const other = (amountFen: number): Tender =>
    random() < 0.5 ? { method: 'cash', amountFen } : { method: 'card', amountFen, reference: `POS${amountFen}` };
  // The one who never repays puts everything on the tab once she has one, until the line is frozen.
  if (creditFen >= totalFen && (m.neverRepays || random() < 0.35)) {
    return [
      totalFen >= 100_000
        ? { method: 'credit', amountFen: totalFen, instalments: { count: 3, interestFree: true } }
        : { method: 'credit', amountFen: totalFen, dueDate: addDays(salon.till.now, m.neverRepays ? 14 : 30) },
    ];
  }
  if (wallet.totalFen >= totalFen && random() < 0.85) return [{ method: 'stored_value', amountFen: totalFen }];
  if (wallet.totalFen > 0 && wallet.totalFen < totalFen) {
    return [{ method: 'stored_value', amountFen: wallet.totalFen }, other(totalFen - wallet.totalFen)];
  }
  return [other(totalFen)];
}

/**
 * 开单 then 结账, with the treatment in between. The bill is dated by the seed's clock (checkout dates bills by
 * the import's clock while importing history), so 今日账单 and the customer's list read as the year did.
 */
export async function openAndSettle(
  salon: Salon,
  staff: TillClient,
  request: object,
  tenders: (bill: Bill) => Tender[],
): Promise<Bill> {
  const bill = await staff.post<Bill>('/staff/bills', request);
  salon.till.now = new Date(salon.till.now.getTime() + 50 * 60_000);
  return staff.post<Bill>(`/staff/bills/${bill.id}/settlement`, { tenders: tenders(bill) });
}

/** One visit: 开单 by the customer's beautician, 结账 with the tenders above. Returns the settled bill. */
export async function visit(salon: Salon, m: Member, wallet: Wallet): Promise<Bill> {
  const staff: TillClient = salon.till.as(m.store.beautician);
  const couponId = m.couponId;
  m.couponId = undefined;
  const creditFen = wallet.credit.limitFen ? Math.max(0, wallet.credit.limitFen - wallet.credit.owedFen) : 0;
  return openAndSettle(
    salon,
    staff,
    {
      storeId: m.store.id,
      customerId: m.id,
      lines: linesFor(salon, m, wallet, Boolean(couponId)),
      ...(couponId ? { couponId } : {}),
    },
    (bill) => tendersFor(salon, m, bill.totalFen, wallet, creditFen),
  );
}

/** Now and then a bill is voided at once (wrong customer, cancelled treatment) or a product partly refunded. */
export async function afterVisit(salon: Salon, m: Member, bill: Bill): Promise<void> {
  const roll = salon.random();
  const manager = salon.till.as(m.store.manager);
  if (roll < 0.02) {
    await manager.post(`/staff/bills/${bill.id}/void`, { reason: '开错项目，顾客当场改约，整单撤销' });
    return;
  }
  if (roll < 0.05) {
    const line = bill.lines.find((l) => l.amountFen > 0);
    if (!line) return;
    const part = line.quantity > 1 ? { quantity: 1 } : { amountFen: Math.max(1, Math.floor(line.amountFen * 0.3)) };
    await manager.post(`/staff/bills/${bill.id}/refunds`, {
      lines: [{ lineId: line.id, ...part }],
      restock: true,
      reason: line.quantity > 1 ? '顾客退回一件未拆封产品' : '护理效果未达预期，协商部分退款',
    });
  }
}
