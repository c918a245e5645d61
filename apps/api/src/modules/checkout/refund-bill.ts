import { type RefundBillRequest, runningShare, type Tender } from '@lumi/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { StaffPrincipal } from '../../plugins/auth.ts';
import { recordAudit } from '../audit/index.ts';
import { products } from '../catalog/index.ts';
import {
  applyPointsDelta,
  claimIdempotencyKey,
  customerWalletAccounts,
  type Leg,
  ledgerSettings,
  POINTS_DAY_MS,
  packageSessionReturn,
  postTransfer,
} from '../ledger/index.ts';
import { reverseLineCommissions } from './commissions.ts';
import type { CheckoutDeps } from './open-bill.ts';
import { type BillRow, billLinesOf, staffBillRow } from './read-bill.ts';
import { alreadyRefunded, type BillPaid, planLines, planTenders } from './refund-plan.ts';
import { checkoutSettings } from './settings.ts';
import { refundTenderLegs } from './tender-postings.ts';
import { giveBackVoucherLine } from './voucher-lines.ts';
import { billRefunds, bills, type RefundedLine } from './tables.ts';

export interface BillRefundOutcome {
  refundId: string;
  replayed: boolean;
  /** A WeChat refund to send once the transaction has committed. */
  wechatOutRefundNo: string | null;
}

export type BillRefundRequest = Omit<RefundBillRequest, 'lines' | 'tenders'> & {
  lines: RefundBillRequest['lines'] | 'rest';
  tenders?: RefundBillRequest['tenders'];
};

/**
 * 退款 and 撤销 (void): gives back part of a settled bill (some lines, some units, or part of a line's money) or, for a
 * void, everything not yet given back — as ONE ledger transfer: revenue and discount back out by line, package
 * sessions back onto their cards, each tender's money back to its source (stored value in the principal/bonus
 * split it was paid with, points as points, cash out of the till, card back to the card, tab off the credit
 * sale, WeChat into refunds_pending until WeChat pays it out), and the points the money earned taken back.
 * Stock and commissions follow; above the tenant's threshold a manager must do it; audited.
 */
export async function refundBill(
  db: Database,
  deps: CheckoutDeps,
  staff: StaffPrincipal,
  billId: string,
  request: BillRefundRequest,
  idem: { key: string; hash: string },
): Promise<BillRefundOutcome> {
  const kind = request.lines === 'rest' ? 'void' : 'refund';
  return db.transaction(async (tx) => {
    const bill = await staffBillRow(tx, staff, billId, { lock: true });
    // The key is this refund's (or void's) for good; the hash names the bill (ledger/idempotency-keys.ts).
    const claim = { tenantId: staff.tenantId, key: idem.key, operation: `checkout.${kind}`, requestHash: idem.hash };
    if ((await claimIdempotencyKey(tx, claim)) === 'replayed') {
      const [earlier] = await tx
        .select()
        .from(billRefunds)
        .where(and(eq(billRefunds.tenantId, staff.tenantId), eq(billRefunds.idempotencyKey, idem.key)));
      if (earlier) return { refundId: earlier.id, replayed: true, wechatOutRefundNo: earlier.wechatOutRefundNo };
    }
    if (kind === 'void' && bill.status === 'voided') {
      // Voided before, under another key: a repeated void answers as the first one did and moves nothing.
      const [voided] = await tx
        .select({ id: billRefunds.id })
        .from(billRefunds)
        .where(and(eq(billRefunds.billId, bill.id), eq(billRefunds.kind, 'void')));
      if (voided) return { refundId: voided.id, replayed: true, wechatOutRefundNo: null };
    }
    const { lines, paid, done, refundedLines, moneyFen, tenders, size, thresholdFen } = await planRefund(
      tx,
      bill,
      request,
    );
    const manager = staff.role === 'manager' || staff.role === 'owner';
    if (size > thresholdFen && !manager) {
      throw new AppError('MANAGER_APPROVAL_REQUIRED', `A ${kind} this large needs a manager`, {
        kind,
        amountFen: size,
        thresholdFen,
      });
    }
    const wechat = tenders.find((t) => t.method === 'wechat');
    if (wechat && !deps.wechatRefunds) {
      throw new AppError('REFUND_NOT_ALLOWED', 'WeChat refunds are not available for this salon');
    }

    const legs: Leg[] = [];
    for (const refunded of refundedLines) {
      const line = lines.find((l) => l.id === refunded.lineId);
      if (line) legs.push(...(await lineLegs(tx, deps, bill, line, refunded)));
    }
    // planRefund has refused a bill that is not settled, so its sale transfer exists.
    const saleTransferId = bill.transferId;
    if (saleTransferId === null) throw new AppError('REFUND_NOT_ALLOWED', 'Only a settled bill can be refunded');
    legs.push(...(await refundTenderLegs(tx, deps, { ...bill, saleTransferId }, tenders)));
    const returnedPoints = tenders.reduce((sum, t) => sum + (t.method === 'points' ? t.points : 0), 0);
    const clawback = await pointsClawback(tx, deps, bill, paid, done, { kind, moneyFen, returnedPoints });
    if (clawback.points > 0) legs.push(...clawback.legs);

    const memo = kind === 'void' ? `撤销: ${request.reason}` : `退款: ${request.reason}`;
    const posted = await postTransfer(tx, {
      tenantId: bill.tenantId,
      customerId: bill.customerId,
      storeId: bill.storeId,
      staffId: staff.id,
      // '/' keeps it out of reach of client-chosen keys (plugins/idempotency.ts).
      idempotencyKey: `bill/${bill.id}/refund/${idem.key}`,
      requestHash: idem.hash,
      kind: 'bill_refund',
      reference: { type: 'bill', id: bill.id },
      memo,
      details: {
        billId: bill.id,
        billNumber: bill.number,
        refundKind: kind,
        reason: request.reason,
        items: refundedLines.map((r) => {
          const line = lines.find((l) => l.id === r.lineId);
          return { name: line?.name ?? '', quantity: r.quantity, amountFen: r.amountFen };
        }),
        tenders,
        pointsClawedBack: clawback.points,
      },
      legs,
    });
    const pointsDelta = returnedPoints - clawback.points;
    if (pointsDelta !== 0) {
      const ledger = await ledgerSettings(tx, bill.tenantId);
      const now = deps.ledger.now();
      const expiresAt = pointsDelta > 0 ? new Date(now.getTime() + ledger.pointsExpiryDays * POINTS_DAY_MS) : now;
      await applyPointsDelta(
        tx,
        { tenantId: bill.tenantId, customerId: bill.customerId, transferId: posted.transferId, expiresAt },
        pointsDelta,
      );
    }

    for (const refunded of refundedLines) {
      const line = lines.find((l) => l.id === refunded.lineId);
      if (!line) continue;
      if (line.type === 'product' && request.restock && refunded.quantity > 0) {
        await tx
          .update(products)
          .set({ stock: sql`${products.stock} + ${refunded.quantity}` })
          .where(and(eq(products.id, line.productId as string), eq(products.tenantId, bill.tenantId)));
      }
      const was = done.lines.get(line.id);
      const byMoney = line.amountFen > 0;
      await reverseLineCommissions(
        tx,
        { tenantId: bill.tenantId, billId: bill.id, lineId: line.id },
        byMoney
          ? { base: line.amountFen, before: was?.amountFen ?? 0, now: refunded.amountFen }
          : { base: line.quantity, before: was?.quantity ?? 0, now: refunded.quantity },
      );
    }

    const [row] = await tx
      .insert(billRefunds)
      .values({
        tenantId: bill.tenantId,
        billId: bill.id,
        kind,
        idempotencyKey: idem.key,
        requestHash: idem.hash,
        amountFen: moneyFen,
        lines: refundedLines,
        tenders,
        pointsClawedBack: clawback.points,
        reason: request.reason,
        staffId: staff.id,
        transferId: posted.transferId,
        createdAt: deps.ledger.now(),
      })
      .returning({ id: billRefunds.id });
    if (!row) throw new Error('bill refund insert returned no row');
    let wechatOutRefundNo: string | null = null;
    if (wechat && deps.wechatRefunds) {
      ({ outRefundNo: wechatOutRefundNo } = await deps.wechatRefunds.record(tx, {
        tenantId: bill.tenantId,
        billId: bill.id,
        amountFen: wechat.amountFen,
        reason: request.reason,
        staffId: staff.id,
        idempotencyKey: `bill-refund/${row.id}`,
        holdTransferId: posted.transferId,
      }));
      await tx.update(billRefunds).set({ wechatOutRefundNo }).where(eq(billRefunds.id, row.id));
    }
    if (kind === 'void') {
      await tx
        .update(bills)
        .set({ status: 'voided', voidTransferId: posted.transferId, closedAt: deps.ledger.now() })
        .where(eq(bills.id, bill.id));
    }
    await recordAudit(tx, {
      tenantId: bill.tenantId,
      actor: { staffId: staff.id },
      action: kind === 'void' ? 'bill.voided' : 'bill.refunded',
      subject: { type: 'bill', id: bill.id },
      storeId: bill.storeId,
      before: { status: 'settled', totalFen: bill.totalFen, refundedFen: done.moneyFen },
      after: {
        status: kind === 'void' ? 'voided' : 'settled',
        refundedFen: done.moneyFen + moneyFen,
        transferId: posted.transferId,
        tenders,
        lines: refundedLines,
        wechatOutRefundNo,
      },
      reason: request.reason,
    });
    return { refundId: row.id, replayed: false, wechatOutRefundNo };
  });
}

/**
 * What a void or refund of the bill would give back, and whether that is above the manager threshold: the
 * amount compared is the bill's total for a void and the refunded money for a refund.
 */
export async function planRefund(tx: Database, bill: BillRow, request: BillRefundRequest) {
  const kind = request.lines === 'rest' ? 'void' : 'refund';
  if (bill.status !== 'settled' || !bill.transferId) {
    throw new AppError('CONFLICT', `Only a settled bill can be ${kind === 'void' ? 'voided' : 'refunded'}`, {
      status: bill.status,
    });
  }
  const lines = await billLinesOf(tx, bill.id);
  const paid = await billPaid(tx, bill);
  const done = alreadyRefunded(
    await tx.select().from(billRefunds).where(eq(billRefunds.billId, bill.id)).orderBy(asc(billRefunds.createdAt)),
  );
  const refundedLines = planLines(lines, paid, done, request.lines);
  const moneyFen = refundedLines.reduce((sum, l) => sum + l.amountFen, 0);
  if (moneyFen === 0 && refundedLines.every((l) => l.sessions === 0)) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'There is nothing left to refund on this bill');
  }
  const tenders = planTenders(paid, done, moneyFen, request.tenders ?? 'proportional');
  const settings = await checkoutSettings(tx, bill.tenantId);
  const size = kind === 'void' ? bill.totalFen : moneyFen;
  return { lines, paid, done, refundedLines, moneyFen, tenders, size, thresholdFen: settings.voidApprovalThresholdFen };
}

/** What the bill's settlement transfer recorded about its tenders, points and package sessions. */
async function billPaid(tx: Database, bill: BillRow): Promise<BillPaid> {
  const [transfer] = await queryRows<{ details: Record<string, unknown> }>(
    tx,
    sql`select details from transfers where id = ${bill.transferId} and tenant_id = ${bill.tenantId}`,
  );
  const details = transfer?.details ?? {};
  const split = await queryRows<{ kind: string; amount: number }>(
    tx,
    sql`select a.kind, sum(e.amount) as amount from entries e join accounts a on a.id = e.account_id
        where e.transfer_id = ${bill.transferId} and a.kind in ('stored_principal', 'stored_bonus')
        group by a.kind`,
  );
  const tenders = bill.tenders as Tender[];
  const others = tenders.reduce((sum, t) => sum + (t.method === 'points' ? 0 : t.amountFen), 0);
  const packageLines = (details.packageLines ?? []) as { lineId: string; recognisedFen: number }[];
  return {
    tenders,
    pointsValueFen: Number(details.pointsValueFen ?? bill.totalFen - others),
    principalFen: Number(split.find((s) => s.kind === 'stored_principal')?.amount ?? 0),
    bonusFen: Number(split.find((s) => s.kind === 'stored_bonus')?.amount ?? 0),
    pointsEarned: Number(details.pointsEarned ?? 0),
    recognisedFen: new Map(packageLines.map((p) => [p.lineId, p.recognisedFen])),
  };
}

type Line = Awaited<ReturnType<typeof billLinesOf>>[number];

/** Revenue (gross) and the discount contra back out for a line's money; package sessions back onto the card. */
async function lineLegs(tx: Database, deps: CheckoutDeps, bill: BillRow, line: Line, r: RefundedLine): Promise<Leg[]> {
  const { house } = deps.ledger;
  const legs: Leg[] = [];
  const gross = r.amountFen + r.discountFen;
  if (gross > 0) {
    const revenue = line.type === 'product' ? 'product_revenue' : 'service_revenue';
    legs.push({ accountId: await house.id(tx, bill.tenantId, revenue, bill.storeId), amount: gross });
  }
  if (r.discountFen > 0) {
    legs.push({ accountId: await house.id(tx, bill.tenantId, 'discounts', null), amount: -r.discountFen });
  }
  if (r.sessions > 0 && line.type === 'shop_voucher') {
    legs.push(...(await giveBackVoucherLine(tx, deps, bill, line, r.recognisedFen)));
  } else if (r.sessions > 0) {
    legs.push(
      ...(await packageSessionReturn(
        tx,
        deps.ledger,
        bill.tenantId,
        bill.storeId,
        line.packageCardId as string,
        r.sessions,
        r.recognisedFen,
      )),
    );
  }
  return legs;
}

/**
 * The points the refunded money earned go back: the same running share of the bill's earned points (a void takes
 * the rest), at most what the customer still has — points already spent stay spent. The shop's after-sale takes
 * back an order's earned points by the same rule.
 */
export async function pointsClawback(
  tx: Database,
  deps: Pick<CheckoutDeps, 'ledger'>,
  bill: Pick<BillRow, 'tenantId' | 'customerId' | 'totalFen'>,
  paid: BillPaid,
  done: { moneyFen: number; pointsClawedBack: number },
  refund: { kind: 'refund' | 'void'; moneyFen: number; returnedPoints: number },
): Promise<{ points: number; legs: Leg[] }> {
  if (paid.pointsEarned === 0 || bill.totalFen === 0) return { points: 0, legs: [] };
  const due =
    refund.kind === 'void'
      ? paid.pointsEarned - done.pointsClawedBack
      : runningShare(paid.pointsEarned, bill.totalFen, done.moneyFen, refund.moneyFen);
  const wallet = await customerWalletAccounts(tx, bill.tenantId, bill.customerId);
  const [account] = await queryRows<{ available: number }>(
    tx,
    sql`select greatest(-balance - held, 0) as available from accounts where id = ${wallet.points}`,
  );
  const points = Math.max(0, Math.min(due, Number(account?.available ?? 0) + refund.returnedPoints));
  return {
    points,
    legs: [
      { accountId: wallet.points, amount: points },
      { accountId: await deps.ledger.house.id(tx, bill.tenantId, 'points_issued', null), amount: -points },
    ],
  };
}
