import { type ClientContext, callAndApply, expectStatus, newKey, pointsFor, type WechatOrderModel } from './model.ts';
import { payInWechat } from './wechat-ops.ts';

type Tender =
  | { method: 'stored_value' | 'credit' | 'cash' | 'wechat'; amountFen: number }
  | { method: 'points'; points: number };

/** The fixture tenants' rate for paying with points (the ledger's default): one fen a point. */
const POINT_VALUE_FEN = 1;

/**
 * Splits a bill between points (积分抵扣, now and then), stored value, the credit line and the rest in cash or,
 * one bill in three, by WeChat on the customer's phone (组合支付), each within what the model allows.
 */
function splitTenders(ctx: ClientContext, totalFen: number): Tender[] {
  const c = ctx.customer;
  // Points a reversal of an earlier spend will take back are not spent here (the reversal would be refused).
  const spare = c.points - c.reversibleSpends.reduce((sum, r) => sum + r.points, 0);
  const points = spare > 0 && ctx.rng.chance(0.3) ? ctx.rng.int(1, Math.min(spare, totalFen - 1)) : 0;
  const rest = totalFen - points * POINT_VALUE_FEN;
  const storedValue = ctx.rng.chance(0.7) ? Math.min(rest, ctx.rng.int(0, c.totalFen)) : 0;
  const creditRoom = Math.max(0, c.limitFen - c.owedFen);
  const credit = ctx.rng.chance(0.5) ? Math.min(rest - storedValue, ctx.rng.int(0, creditRoom)) : 0;
  const remainder = rest - storedValue - credit;
  const tenders: Tender[] = [
    { method: 'points', points },
    { method: 'stored_value', amountFen: storedValue },
    { method: 'credit', amountFen: credit },
    { method: ctx.rng.chance(0.35) ? 'wechat' : 'cash', amountFen: remainder },
  ];
  return tenders.filter((t) => (t.method === 'points' ? t.points : t.amountFen) > 0);
}

const part = (tenders: Tender[], method: Tender['method']) => {
  const tender = tenders.find((t) => t.method === method);
  if (!tender) return 0;
  return tender.method === 'points' ? tender.points : tender.amountFen;
};

/**
 * 开单 → 结账 with split tenders → now and then 作废 (void: every tender back to its source, points paid with given
 * back, the points earned taken back). Points paid with are worth their value and earn nothing themselves.
 * Opening moves no money; an unanswered open is simply given up (the open bill holds nothing). A bill with a
 * WeChat part waits for the customer (its stored value held), who pays it on her phone: the payment settles it.
 */
export async function billFlow(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  const opened = await ctx.http.send(
    {
      method: 'POST',
      path: '/staff/bills',
      token: c.tenant.staffToken,
      idempotencyKey: newKey(ctx, 'open'),
      body: {
        storeId: c.tenant.storeId,
        customerId: c.id,
        lines: [{ type: 'service', serviceId: c.tenant.serviceId, quantity: ctx.rng.int(1, 2) }],
      },
    },
    ctx.deadline,
  );
  if (!opened || !expectStatus(ctx, 'open bill', opened, true)) return opened !== null;
  const billId: string = opened.body.id;
  const totalFen: number = opened.body.totalFen;
  const tenders = splitTenders(ctx, totalFen);
  const redeemed = part(tenders, 'points');
  const earned = pointsFor(totalFen - redeemed * POINT_VALUE_FEN);
  const wechat = part(tenders, 'wechat');
  const applySettlement = () => {
    c.totalFen -= part(tenders, 'stored_value');
    c.owedFen += part(tenders, 'credit');
    c.points += earned - redeemed;
    if (redeemed > 0) ctx.counts.pointsRedeemed = (ctx.counts.pointsRedeemed ?? 0) + 1;
    ctx.counts.billsSettled = (ctx.counts.billsSettled ?? 0) + 1;
  };
  let paid = false;
  const settled = await callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/bills/${billId}/settlement`,
      token: c.tenant.staffToken,
      idempotencyKey: newKey(ctx, 'settle'),
      body: { tenders },
    },
    (reply) => {
      if (!expectStatus(ctx, `settle bill ${billId} ${JSON.stringify(tenders)}`, reply, true)) return;
      const status = wechat > 0 ? 'awaiting_customer' : 'settled';
      if (reply.body.status !== status) ctx.violations.push(`bill ${billId} answered ${reply.body.status}`);
      paid = true;
      // A bill waiting for WeChat only holds its stored value: the payment's completion settles it.
      if (wechat === 0) applySettlement();
    },
  );
  if (!settled || !paid) return settled;
  let order: WechatOrderModel | undefined;
  if (wechat > 0) {
    const create = {
      method: 'POST' as const,
      path: `/me/bills/${billId}/payments`,
      token: c.token,
      idempotencyKey: newKey(ctx, 'billpay'),
    };
    const answered = await payInWechat(ctx, create, 'bill', {
      mayLeaveUnpaid: false,
      completed: (o) => {
        if (o.amountFen !== wechat)
          ctx.violations.push(`bill ${billId}: WeChat order of ${o.amountFen}, not ${wechat}`);
        order = o;
        applySettlement();
      },
    });
    if (!answered || ctx.pending || !order) return answered;
  }
  const left: BillLeft = {
    wechat,
    order,
    storedValue: part(tenders, 'stored_value'),
    credit: part(tenders, 'credit'),
    cash: part(tenders, 'cash'),
    points: earned,
    redeemed,
  };
  const line = opened.body.lines[0] as { id: string; quantity: number; amountFen: number };
  // A partial refund of a bill paid partly with points is left out: which share of the points it returns is
  // the refund plan's rule, not a model of the wallet.
  if (line.quantity === 2 && redeemed === 0 && ctx.rng.chance(0.4)) {
    const refunded = await refundOneUnit(ctx, billId, totalFen, line, left);
    if (!refunded || ctx.pending) return refunded;
  }
  if (!ctx.rng.chance(0.3)) return true;
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/bills/${billId}/void`,
      token: c.tenant.managerToken,
      idempotencyKey: newKey(ctx, 'void'),
      body: { reason: '顾客取消服务' },
    },
    (reply) => {
      if (!expectStatus(ctx, `void bill ${billId}`, reply, true)) return;
      // Everything not refunded yet goes back to where it came from.
      c.totalFen += left.storedValue;
      c.owedFen -= left.credit;
      c.points += left.redeemed - left.points;
      // WeChat's part goes back through WeChat, as one refund of what is left of it.
      if (left.wechat > 0) left.order?.refundsFen.push(left.wechat);
      ctx.counts.billsVoided = (ctx.counts.billsVoided ?? 0) + 1;
    },
  );
}

/** What a settled bill can still give back, by tender, and the points it earned that are not taken back yet. */
interface BillLeft {
  /** The bill's WeChat part not refunded yet, and its order. */
  wechat: number;
  order: WechatOrderModel | undefined;
  storedValue: number;
  credit: number;
  cash: number;
  points: number;
  /** Points paid with, which a void gives back. */
  redeemed: number;
}

/**
 * 部分退款: one of two units back, its money to WeChat first (through WeChat), then stored value, then the credit
 * line, then cash; the points that money earned are taken back (the same share of the bill's points).
 */
async function refundOneUnit(
  ctx: ClientContext,
  billId: string,
  totalFen: number,
  line: { id: string; quantity: number; amountFen: number },
  left: BillLeft,
): Promise<boolean> {
  const c = ctx.customer;
  const moneyFen = Math.floor(line.amountFen / line.quantity);
  const wechat = Math.min(moneyFen, left.wechat);
  const storedValue = Math.min(moneyFen - wechat, left.storedValue);
  const credit = Math.min(moneyFen - wechat - storedValue, left.credit);
  const cash = moneyFen - wechat - storedValue - credit;
  const tenders = [
    { method: 'wechat', amountFen: wechat },
    { method: 'stored_value', amountFen: storedValue },
    { method: 'credit', amountFen: credit },
    { method: 'cash', amountFen: cash },
  ].filter((t) => t.amountFen > 0);
  const clawback = Math.floor((pointsFor(totalFen) * moneyFen) / totalFen);
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/bills/${billId}/refunds`,
      token: c.tenant.managerToken,
      idempotencyKey: newKey(ctx, 'refund'),
      body: { lines: [{ lineId: line.id, quantity: 1 }], tenders, reason: '顾客不满意退一次' },
    },
    (reply) => {
      if (!expectStatus(ctx, `refund of bill ${billId} ${JSON.stringify(tenders)}`, reply, true)) return;
      c.totalFen += storedValue;
      c.owedFen -= credit;
      c.points -= clawback;
      if (wechat > 0) left.order?.refundsFen.push(wechat);
      left.wechat -= wechat;
      left.storedValue -= storedValue;
      left.credit -= credit;
      left.cash -= cash;
      left.points -= clawback;
      ctx.counts.billsRefunded = (ctx.counts.billsRefunded ?? 0) + 1;
    },
  );
}
