import { randomInt } from 'node:crypto';
import { runningShare } from '@lumi/shared';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { isUniqueViolationOf } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { tenderPostings } from '../checkout/index.ts';
import {
  applyPointsDelta,
  customerWalletAccounts,
  issueGiftPackageCard,
  type Leg,
  ledgerSettings,
  newPackageCard,
  POINTS_DAY_MS,
  type Posting,
  pointsForSpend,
  postTransfer,
  requestHash,
} from '../ledger/index.ts';
import type { PaymentPurpose } from '../payments/index.ts';
import { type ShopDeps, shopOrderRef } from './deps.ts';
import { getOrderRow, type OrderLineRow, type OrderRow, orderLinesOf, topUpGrant } from './read-order.ts';
import { shopOrderLines, shopOrders, shopVouchers } from './tables.ts';

/** Where a paid order goes next: to pickup or shipping, or done when nothing is handed over (wallet items only). */
export function statusAfterPayment(order: Pick<OrderRow, 'fulfilment'>, hasGoods: boolean) {
  if (!hasGoods) return 'completed' as const;
  return order.fulfilment === 'pickup' ? ('awaiting_pickup' as const) : ('awaiting_shipment' as const);
}

const drawPickupCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * Gives an order waiting at its store a 6-digit code no other waiting order there has. The partial unique index
 * decides: the code is written in a savepoint and drawn again when taken, also by an order paid concurrently
 * and not yet committed (a check before the write cannot see that one, and its unique violation was a 500).
 */
export async function assignPickupCode(
  tx: Database,
  order: Pick<OrderRow, 'id'>,
  draw: () => string = drawPickupCode,
): Promise<string> {
  for (;;) {
    const code = draw();
    try {
      await tx.transaction((savepoint) =>
        savepoint.update(shopOrders).set({ pickupCode: code }).where(eq(shopOrders.id, order.id)),
      );
      return code;
    } catch (error) {
      if (!isUniqueViolationOf(error, 'shop_orders_pickup_code')) throw error;
    }
  }
}

/** A product's revenue (gross at list price) and the member-price discount as a contra, as checkout books a bill's. */
async function saleLegs(tx: Database, deps: ShopDeps, order: OrderRow, line: OrderLineRow): Promise<Leg[]> {
  const { house } = deps.ledger;
  const gross = line.listPriceFen * line.quantity;
  const discount = gross - line.amountFen;
  const revenue = line.kind === 'product' ? 'product_revenue' : 'service_revenue';
  const legs: Leg[] = [];
  if (gross > 0) legs.push({ accountId: await house.id(tx, order.tenantId, revenue, order.storeId), amount: -gross });
  if (discount !== 0) legs.push({ accountId: await house.id(tx, order.tenantId, 'discounts', null), amount: discount });
  return legs;
}

type IssuedCard = { cardId: string; legs: Leg[]; attach(transferId: number): Promise<void> };

/**
 * A top-up's gift package cards, one a unit, as a counter top-up issues its plan's (sessions only, worth 0). A gift
 * plan the salon has withdrawn since the order was placed gives none: the money part of the top-up still posts.
 */
async function giftCards(tx: Database, deps: ShopDeps, order: OrderRow, line: OrderLineRow, posting: Posting) {
  const planId = topUpGrant(line).giftPackagePlanId;
  if (!planId || !(await deps.ledger.packagePlans.find(tx, order.tenantId, planId))) return [];
  const cards: IssuedCard[] = [];
  for (let i = 0; i < line.quantity; i++) {
    cards.push(await issueGiftPackageCard(tx, deps.ledger, posting, planId, deps.ledger.now()));
  }
  return cards;
}

/**
 * What wallet items put in the customer's hands on payment: a package card's sessions against deferred revenue
 * (earned session by session, as at the counter), a top-up's principal, bonus, points and gift card as its plan
 * said when the order was placed.
 */
async function walletLegs(tx: Database, deps: ShopDeps, order: OrderRow, line: OrderLineRow) {
  const legs: Leg[] = [];
  const cards: IssuedCard[] = [];
  let gifts: IssuedCard[] = [];
  let points = 0;
  const { house } = deps.ledger;
  const posting: Posting = {
    tenantId: order.tenantId,
    customerId: order.customerId,
    storeId: order.storeId,
    staffId: null,
    idempotencyKey: '',
    requestHash: '',
  };
  if (line.kind === 'package_card' && line.packagePlanId) {
    for (let i = 0; i < line.quantity; i++) {
      const card = await newPackageCard(
        tx,
        deps.ledger,
        posting,
        line.packagePlanId,
        line.unitPriceFen,
        deps.ledger.now(),
      );
      legs.push(...card.legs);
      cards.push(card);
    }
    legs.push({
      accountId: await house.id(tx, order.tenantId, 'package_deferred_revenue', null),
      amount: -line.amountFen,
    });
  }
  if (line.kind === 'top_up_plan') {
    // The grant copied from the plan when the order was placed: what she was offered is what she gets.
    const grant = topUpGrant(line);
    const wallet = await customerWalletAccounts(tx, order.tenantId, order.customerId);
    legs.push({ accountId: wallet.stored_principal, amount: -grant.principalFen });
    if (grant.bonusFen > 0) {
      legs.push({ accountId: await house.id(tx, order.tenantId, 'bonus_expense', null), amount: grant.bonusFen });
      legs.push({ accountId: wallet.stored_bonus, amount: -grant.bonusFen });
    }
    points = grant.bonusPoints;
    if (points > 0) {
      legs.push({ accountId: await house.id(tx, order.tenantId, 'points_issued', null), amount: points });
      legs.push({ accountId: wallet.points, amount: -points });
    }
    gifts = await giftCards(tx, deps, order, line, posting);
    for (const gift of gifts) legs.push(...gift.legs);
  }
  return { legs, cards: [...cards, ...gifts], gifts, points };
}

/**
 * Points the order earns, by the till's rule (`pointsForSpend` with her tier's multiplier) on what she paid in
 * money: not the part paid in points, nor top-ups (their plan's bonus points are their reward).
 */
async function pointsEarned(
  tx: Database,
  deps: ShopDeps,
  order: OrderRow,
  lines: OrderLineRow[],
  pointsValueFen: number,
): Promise<number> {
  const topUpsFen = lines.filter((l) => l.kind === 'top_up_plan').reduce((sum, l) => sum + l.amountFen, 0);
  const moneyFen = order.totalFen - pointsValueFen - topUpsFen;
  if (moneyFen <= 0) return 0;
  const settings = await ledgerSettings(tx, order.tenantId);
  const tier = await deps.tierOf(tx, order.tenantId, order.customerId);
  return pointsForSpend(moneyFen, settings, tier.pointsMultiplierPercent);
}

/**
 * Posts a paid order as one transfer — each line's revenue (or what the wallet items issue), and every tender as
 * the debit that pays for it, through checkout's tender postings, and the points it earns — then marks the coupon
 * used, issues vouchers and cards and moves the
 * order on (待核销 with a pickup code, 待发货, or done). With `capture`, the holds placed while the order waited for
 * WeChat are captured by the same posting.
 */
export async function postOrderPayment(
  tx: Database,
  deps: ShopDeps,
  order: OrderRow,
  lines: OrderLineRow[],
  capture: boolean,
): Promise<number> {
  const legs: Leg[] = [];
  const cards: IssuedCard[] = [];
  const giftsByLine = new Map<string, string[]>();
  let issuedPoints = 0;
  for (const line of lines) {
    if (line.kind === 'product') {
      legs.push(...(await saleLegs(tx, deps, order, line)));
    } else if (line.kind === 'service_voucher') {
      // What she paid is owed as sessions until a bill uses the voucher (服务券预收), as a package card's price is.
      if (line.amountFen > 0) {
        legs.push({
          accountId: await deps.ledger.house.id(tx, order.tenantId, 'voucher_deferred_revenue', null),
          amount: -line.amountFen,
        });
      }
    } else {
      const issued = await walletLegs(tx, deps, order, line);
      legs.push(...issued.legs);
      cards.push(...issued.cards);
      if (issued.gifts.length > 0)
        giftsByLine.set(
          line.id,
          issued.gifts.map((g) => g.cardId),
        );
      issuedPoints += issued.points;
    }
  }
  const paid = await tenderPostings(tx, deps, order, order.tenders, capture ? shopOrderRef(order.id) : null);
  legs.push(...paid.legs);
  const earned = await pointsEarned(tx, deps, order, lines, paid.pointsValueFen);
  if (earned > 0) {
    const wallet = await customerWalletAccounts(tx, order.tenantId, order.customerId);
    legs.push({ accountId: await deps.ledger.house.id(tx, order.tenantId, 'points_issued', null), amount: earned });
    legs.push({ accountId: wallet.points, amount: -earned });
  }
  const posted = await postTransfer(tx, {
    tenantId: order.tenantId,
    customerId: order.customerId,
    storeId: order.storeId,
    staffId: null,
    idempotencyKey: `shop-order/${order.id}/pay`,
    requestHash: requestHash({ shopOrder: order.id }),
    kind: 'shop_order',
    reference: shopOrderRef(order.id),
    details: {
      orderId: order.id,
      orderNumber: order.number,
      items: lines.map((l) => ({ name: l.name, quantity: l.quantity, amountFen: l.amountFen })),
      tenders: order.tenders,
      pointsValueFen: paid.pointsValueFen,
      couponDiscountFen: order.couponDiscountFen,
      pointsEarned: earned,
      giftPackageCardIds: [...giftsByLine.values()].flat(),
    },
    legs,
    ...(paid.spend ? { spend: paid.spend } : {}),
    ...(capture ? { capture: shopOrderRef(order.id) } : {}),
  });
  if (posted.replayed) throw new AppError('CONFLICT', 'This order was already paid');

  const now = deps.ledger.now();
  const lot = { tenantId: order.tenantId, customerId: order.customerId, transferId: posted.transferId };
  if (paid.redeemedPoints > 0) await applyPointsDelta(tx, { ...lot, expiresAt: now }, -paid.redeemedPoints);
  if (issuedPoints + earned > 0) {
    const settings = await ledgerSettings(tx, order.tenantId);
    await applyPointsDelta(
      tx,
      { ...lot, expiresAt: new Date(now.getTime() + settings.pointsExpiryDays * POINTS_DAY_MS) },
      issuedPoints + earned,
    );
  }
  if (order.couponId) {
    await deps.hooks.redeemCoupon(tx, {
      tenantId: order.tenantId,
      couponId: order.couponId,
      reference: shopOrderRef(order.id),
    });
  }
  for (const card of cards) await card.attach(posted.transferId);
  for (const [lineId, cardIds] of giftsByLine) {
    await tx.update(shopOrderLines).set({ topUpGiftCardIds: cardIds }).where(eq(shopOrderLines.id, lineId));
  }
  const vouchers = lines
    .filter((l) => l.kind === 'service_voucher')
    .flatMap((l) =>
      Array.from({ length: l.quantity }, (_, i) => ({
        tenantId: order.tenantId,
        // Each voucher's running share of the line, so a line's vouchers add up to what she paid for it.
        valueFen: runningShare(l.amountFen, l.quantity, i, 1),
        deferredFen: runningShare(l.amountFen, l.quantity, i, 1),
        customerId: order.customerId,
        orderId: order.id,
        lineId: l.id,
        serviceId: l.serviceId,
        name: l.name,
        createdAt: now,
      })),
    );
  if (vouchers.length > 0) await tx.insert(shopVouchers).values(vouchers);

  const status = statusAfterPayment(
    order,
    lines.some((l) => l.kind === 'product'),
  );
  await tx
    .update(shopOrders)
    .set({
      status,
      transferId: posted.transferId,
      pointsEarned: earned,
      paidAt: now,
      expiresAt: null,
      completedAt: status === 'completed' ? now : null,
      pickupCode: null,
    })
    .where(eq(shopOrders.id, order.id));
  if (status === 'awaiting_pickup') await assignPickupCode(tx, order);
  return posted.transferId;
}

/**
 * 商城订单微信支付: the WeChat part of an order waiting for payment. Completing it pays the order (capturing the held
 * stored value and points). An order that was closed in the meantime keeps nothing: the money is credited to the
 * customer's stored value, as for a bill that can no longer settle.
 */
export function shopOrderPurpose(deps: ShopDeps): PaymentPurpose<{ orderId: string }> {
  return {
    name: 'shop_order',
    oneOpenOrder: true,

    async prepare(db, ctx, input) {
      const order = await getOrderRow(db, ctx.tenantId, input.orderId);
      if (order.customerId !== ctx.customerId) throw new AppError('NOT_FOUND', 'Order not found');
      const wechat = order.tenders.find((t) => t.method === 'wechat');
      if (order.status !== 'pending_payment' || !wechat) {
        throw new AppError('CONFLICT', 'This order has nothing to pay with WeChat', { status: order.status });
      }
      return {
        amountFen: wechat.amountFen,
        description: `商城订单 ${order.number}`,
        reference: order.id,
        data: { orderId: order.id },
      };
    },

    async complete(tx, ctx, payment) {
      const orderId = String(payment.purposeData.orderId);
      const order = await getOrderRow(tx, ctx.tenantId, orderId, { lock: true });
      if (order.status === 'pending_payment') {
        return postOrderPayment(tx, { ...deps, ledger: ctx.ledger }, order, await orderLinesOf(tx, order.id), true);
      }
      if (order.transferId && order.paidAt) return order.transferId;
      return creditToStoredValue(
        tx,
        ctx,
        payment.storeId,
        orderId,
        payment.amountFen,
        `wxpay/pay/${payment.outTradeNo}`,
        {
          kind: 'shop_payment_credited',
          memo: `商城订单已关闭，微信支付 ${payment.outTradeNo} 转入储值`,
          from: 'wechat_clearing',
        },
      );
    },

    async refund() {
      throw new AppError('REFUND_NOT_ALLOWED', 'A shop order is refunded through its after-sale request (售后)');
    },

    /** WeChat would not pay the refund out: the customer keeps it as stored value. */
    async refundClosed(tx, ctx, payment, refund) {
      return creditToStoredValue(
        tx,
        ctx,
        payment.storeId,
        String(payment.purposeData.orderId),
        refund.amountFen,
        `wxpay/refund/${refund.outRefundNo}/credited`,
        { kind: 'shop_refund_credited', memo: `${refund.reason}，已转入储值`.slice(0, 200), from: 'refunds_pending' },
      );
    },
  };
}

async function creditToStoredValue(
  tx: Database,
  ctx: Parameters<PaymentPurpose['complete']>[1],
  storeId: string | null,
  orderId: string,
  amountFen: number,
  key: string,
  what: { kind: string; memo: string; from: 'wechat_clearing' | 'refunds_pending' },
): Promise<number> {
  const wallet = await customerWalletAccounts(tx, ctx.tenantId, ctx.customerId);
  const posted = await postTransfer(tx, {
    tenantId: ctx.tenantId,
    customerId: ctx.customerId,
    storeId,
    staffId: null,
    idempotencyKey: key,
    requestHash: requestHash({ key }),
    kind: what.kind,
    memo: what.memo,
    reference: shopOrderRef(orderId),
    details: { orderId, amountFen },
    legs: [
      { accountId: await ctx.ledger.house.id(tx, ctx.tenantId, what.from, null), amount: amountFen },
      { accountId: wallet.stored_principal, amount: -amountFen },
    ],
  });
  return posted.transferId;
}
