import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { billsHolding, type OtherBill } from '../checkout/index.ts';
import { customerWalletAccounts, type Leg, packageCardTakeBack } from '../ledger/index.ts';
import type { ShopDeps } from './deps.ts';
import { type OrderLineRow, type OrderRow, topUpGrant } from './read-order.ts';
import { shopVouchers } from './tables.ts';

/**
 * What an approved after-sale takes back, line by line, in its one transfer: goods' revenue, a voucher's deferred
 * value (服务券预收), a package card's sessions and deferred revenue, a top-up's balance, bonus and points — each
 * only while unused.
 */

/** One line of an after-sale: some units and what they cost her; vouchers name the ones given back. */
export interface GivenLine {
  lineId: string;
  name: string;
  quantity: number;
  amountFen: number;
  voucherIds?: string[];
}

export const walletItemUsed = (line: Pick<OrderLineRow, 'id' | 'name' | 'kind'>, giftCardId?: string) =>
  new AppError('SHOP_WALLET_ITEM_USED', `${line.name} has been used, so the order cannot be given back whole`, {
    lineId: line.id,
    itemKind: line.kind,
    ...(giftCardId ? { giftCardId } : {}),
  });

/**
 * A voucher on a bill not yet settled is being used at the salon: giving it back would leave that bill unable to
 * settle, so the after-sale waits until the store settles or cancels the bill (409, naming it).
 */
const onOpenBill = (line: Pick<OrderLineRow, 'id'>, voucherId: string, bill: OtherBill) =>
  new AppError('VOUCHER_ON_OPEN_BILL', `This voucher is on bill ${bill.number}, not yet settled`, {
    lineId: line.id,
    voucherId,
    billId: bill.id,
    billNumber: bill.number,
    billStatus: bill.status,
  });

/** Refuses to give back any of these vouchers while a bill not yet settled names it. */
async function assertVouchersOffBills(tx: Database, line: OrderLineRow, voucherIds: string[]) {
  const held = await billsHolding(tx, line.tenantId, voucherIds);
  for (const id of voucherIds) {
    const bill = held.get(id);
    if (bill) throw onOpenBill(line, id, bill);
  }
}

/**
 * `quantity` unused vouchers of a line, oldest first but passing over any on a bill not yet settled, and what she
 * paid for them (their values add up to the line). Too few left off bills: 409 naming the bill.
 */
export async function pickVouchers(tx: Database, line: OrderLineRow, quantity: number) {
  const rows = await tx
    .select({ id: shopVouchers.id, valueFen: shopVouchers.valueFen })
    .from(shopVouchers)
    .where(and(eq(shopVouchers.lineId, line.id), eq(shopVouchers.status, 'issued')))
    .orderBy(asc(shopVouchers.createdAt), asc(shopVouchers.id));
  const held = await billsHolding(
    tx,
    line.tenantId,
    rows.map((r) => r.id),
  );
  const free = rows.filter((r) => !held.has(r.id));
  const blocked = rows.find((r) => held.has(r.id));
  if (free.length < quantity && blocked) throw onOpenBill(line, blocked.id, held.get(blocked.id) as OtherBill);
  const picked = free.slice(0, quantity);
  return { voucherIds: picked.map((r) => r.id), amountFen: picked.reduce((sum, r) => sum + r.valueFen, 0) };
}

/** Revenue booked at sale (list price) and its discount contra, backed out for `bookedFen` of `quantity` units. */
async function revenueBack(
  tx: Database,
  deps: ShopDeps,
  order: OrderRow,
  line: OrderLineRow,
  quantity: number,
  bookedFen: number,
): Promise<Leg[]> {
  const { house } = deps.ledger;
  const gross = line.listPriceFen * quantity;
  const revenue = line.kind === 'product' ? 'product_revenue' : 'service_revenue';
  const legs: Leg[] = [];
  if (gross > 0) legs.push({ accountId: await house.id(tx, order.tenantId, revenue, order.storeId), amount: gross });
  if (gross !== bookedFen) {
    legs.push({ accountId: await house.id(tx, order.tenantId, 'discounts', null), amount: bookedFen - gross });
  }
  return legs;
}

/**
 * Locks vouchers about to be given back, in id order (as a bill storing them locks them, holdVoucherLines in
 * checkout), until the approval commits: a bill naming one waits, then finds it given back (409 VOUCHER_GIVEN_BACK);
 * an approval that waited on a bill finds that bill holding it (409 VOUCHER_ON_OPEN_BILL). Exactly one wins.
 */
export async function lockVouchers(tx: Database, voucherIds: string[]) {
  if (voucherIds.length === 0) return;
  await tx
    .select({ id: shopVouchers.id })
    .from(shopVouchers)
    .where(inArray(shopVouchers.id, voucherIds))
    .orderBy(asc(shopVouchers.id))
    .for('update');
}

/**
 * Vouchers given back: exactly the ones the request named, each still unused (one conditional update; a voucher used
 * at the till since is VOUCHER_NOT_USABLE; one put on a bill since, not yet settled, is VOUCHER_ON_OPEN_BILL and the
 * request waits), their deferred value back out of 服务券预收. Vouchers sold before revenue was deferred had it booked
 * at sale; that is backed out instead. The bills holding them are read under their lock (lockVouchers; requests
 * from before they named their vouchers pick them here).
 */
async function voucherLegs(tx: Database, deps: ShopDeps, order: OrderRow, line: OrderLineRow, given: GivenLine) {
  const ids = given.voucherIds ?? (await pickVouchers(tx, line, given.quantity)).voucherIds;
  if (!given.voucherIds) await lockVouchers(tx, ids);
  await assertVouchersOffBills(tx, line, ids);
  const voided =
    ids.length === 0
      ? []
      : await tx
          .update(shopVouchers)
          .set({ status: 'void' })
          .where(
            and(eq(shopVouchers.lineId, line.id), eq(shopVouchers.status, 'issued'), inArray(shopVouchers.id, ids)),
          )
          .returning({ deferredFen: shopVouchers.deferredFen });
  if (voided.length !== given.quantity) {
    throw new AppError('VOUCHER_NOT_USABLE', 'A voucher of this request was used at the salon meanwhile', {
      lineId: line.id,
    });
  }
  const deferred = voided.reduce((sum, v) => sum + v.deferredFen, 0);
  const legs: Leg[] = [];
  if (deferred > 0) {
    legs.push({
      accountId: await deps.ledger.house.id(tx, order.tenantId, 'voucher_deferred_revenue', null),
      amount: deferred,
    });
  }
  if (deferred < given.amountFen) {
    legs.push(...(await revenueBack(tx, deps, order, line, given.quantity, given.amountFen - deferred)));
  }
  return legs;
}

/**
 * The package cards a line issued: sessions back from each (none used), the price back out of deferred revenue.
 * A top-up's gift cards of the same plan were posted in the same transfer; they are the top-up's, not this line's.
 */
async function cardLegs(tx: Database, deps: ShopDeps, order: OrderRow, line: OrderLineRow): Promise<Leg[]> {
  const cards = await queryRows<{ id: string }>(
    tx,
    sql`select id from package_cards where tenant_id = ${order.tenantId} and customer_id = ${order.customerId}
          and sold_transfer_id = ${order.transferId} and plan_id = ${line.packagePlanId}
          and id not in (select unnest(top_up_gift_card_ids) from shop_order_lines
                         where order_id = ${order.id} and top_up_gift_card_ids is not null)
        order by id`,
  );
  if (cards.length !== line.quantity) throw walletItemUsed(line);
  const legs: Leg[] = [];
  for (const card of cards) {
    legs.push(...(await packageCardTakeBack(tx, deps.ledger, order.tenantId, card.id, () => walletItemUsed(line))));
  }
  legs.push({
    accountId: await deps.ledger.house.id(tx, order.tenantId, 'package_deferred_revenue', null),
    amount: line.amountFen,
  });
  return legs;
}

/**
 * A top-up given back: its principal, bonus, bonus points and gift cards leave the wallet — only while all of them
 * are still there (not spent, not held by a bill waiting for her, no gift session used). A gift is part of what the
 * top-up bought: as at the counter, where bonus is not cash and a gift is returned or paid for, a top-up whose gift
 * has been used is no longer given back whole here (the salon's 退储值 at the counter settles it by its refund rule).
 */
async function topUpLegs(tx: Database, deps: ShopDeps, order: OrderRow, line: OrderLineRow) {
  // Exactly what the sale granted (copied on the line), not what the plan says today.
  const { principalFen, bonusFen: bonus, bonusPoints: points } = topUpGrant(line);
  const wallet = await customerWalletAccounts(tx, order.tenantId, order.customerId);
  const available = await queryRows<{ id: number; available: number }>(
    tx,
    sql`select id, -balance - held as available from accounts
        where id in (${wallet.stored_principal}, ${wallet.stored_bonus}, ${wallet.points}) for update`,
  );
  const has = (id: number) => Number(available.find((a) => Number(a.id) === id)?.available ?? 0);
  if (has(wallet.stored_principal) < principalFen || has(wallet.stored_bonus) < bonus || has(wallet.points) < points) {
    throw walletItemUsed(line);
  }
  const { house } = deps.ledger;
  const legs: Leg[] = [];
  for (const cardId of line.topUpGiftCardIds ?? []) {
    legs.push(
      ...(await packageCardTakeBack(tx, deps.ledger, order.tenantId, cardId, () => walletItemUsed(line, cardId))),
    );
  }
  legs.push({ accountId: wallet.stored_principal, amount: principalFen });
  if (bonus > 0) {
    legs.push({ accountId: wallet.stored_bonus, amount: bonus });
    legs.push({ accountId: await house.id(tx, order.tenantId, 'bonus_expense', null), amount: -bonus });
  }
  if (points > 0) {
    legs.push({ accountId: wallet.points, amount: points });
    legs.push({ accountId: await house.id(tx, order.tenantId, 'points_issued', null), amount: -points });
  }
  return { legs, points };
}

/** The legs that take back one given line, and the bonus points (of a top-up) leaving her points lots. */
export async function lineBackLegs(
  tx: Database,
  deps: ShopDeps,
  order: OrderRow,
  line: OrderLineRow,
  given: GivenLine,
): Promise<{ legs: Leg[]; points: number }> {
  if (line.kind === 'product') {
    return { legs: await revenueBack(tx, deps, order, line, given.quantity, given.amountFen), points: 0 };
  }
  if (line.kind === 'service_voucher') return { legs: await voucherLegs(tx, deps, order, line, given), points: 0 };
  if (line.kind === 'package_card') return { legs: await cardLegs(tx, deps, order, line), points: 0 };
  return topUpLegs(tx, deps, order, line);
}

/**
 * At request time: whether the wallet items of a whole-order refund can still be taken back, so she hears it at
 * once (the approval checks again, under lock, when it takes them).
 */
export async function assertWalletItemsUnused(tx: Database, deps: ShopDeps, order: OrderRow, lines: OrderLineRow[]) {
  for (const line of lines) {
    if (line.kind !== 'package_card' && line.kind !== 'top_up_plan') continue;
    if (line.kind === 'package_card') await cardLegs(tx, deps, order, line);
    else await topUpLegs(tx, deps, order, line);
  }
}
