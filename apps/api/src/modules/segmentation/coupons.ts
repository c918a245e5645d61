import { type Coupon, type CouponOffer, fenToYuanString } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';

/**
 * Coupons (优惠券) in a customer's wallet: amount off, percent off or a free add-on, with a minimum spend and a
 * validity window; single use. Checkout reserves a coupon for a bill when it opens the bill (the row is locked
 * and checked, then marked reserved), redeems it when the bill settles, and releases it when the bill is
 * cancelled or voided. Every lookup carries the tenant and (for reserving) the customer, so a coupon id from
 * another salon or another customer's wallet is simply not found.
 */

interface CouponRow {
  id: string;
  tenant_id: string;
  customer_id: string;
  campaign_id: string | null;
  kind: 'amount_off' | 'percent_off' | 'free_addon';
  title: string;
  description: string;
  amount_off_fen: number | null;
  percent_off_basis_points: number | null;
  max_discount_fen: number | null;
  addon_name: string | null;
  min_spend_fen: number;
  valid_from: Date | string;
  valid_to: Date | string;
  status: 'issued' | 'reserved' | 'redeemed' | 'void';
  redeemed_at: Date | string | null;
  redeemed_reference_type: string | null;
  redeemed_reference_id: string | null;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const yuan = (fen: number) => fenToYuanString(fen).replace(/\.00$/, '');

/** How a coupon reads to the customer: 满200减30, 9折（最高减50）, 赠送：眼部护理. */
export function describeOffer(
  offer: Pick<
    CouponOffer,
    'kind' | 'amountOffFen' | 'percentOffBasisPoints' | 'maxDiscountFen' | 'addonName' | 'minSpendFen'
  >,
): string {
  const threshold = offer.minSpendFen > 0 ? `满${yuan(offer.minSpendFen)}` : '';
  switch (offer.kind) {
    case 'amount_off':
      return `${threshold}${threshold ? '减' : '立减'}${yuan(offer.amountOffFen ?? 0)}元`;
    case 'percent_off': {
      // 1,000 bp off is 9折; 1,500 off is 8.5折.
      const pay = 10_000 - (offer.percentOffBasisPoints ?? 0);
      const zhe = pay % 1_000 === 0 ? String(pay / 1_000) : (pay / 1_000).toFixed(pay % 100 === 0 ? 1 : 2);
      const cap = offer.maxDiscountFen ? `（最高减${yuan(offer.maxDiscountFen)}元）` : '';
      return `${threshold}${zhe}折${cap}`;
    }
    case 'free_addon':
      return `${threshold}赠送：${offer.addonName ?? ''}`;
  }
}

/** The discount a coupon gives on an eligible total, in integer fen (never more than the total). */
export function couponDiscountFen(
  coupon: {
    kind: string;
    amountOffFen: number | null;
    percentOffBasisPoints: number | null;
    maxDiscountFen: number | null;
  },
  eligibleTotalFen: number,
): number {
  if (eligibleTotalFen <= 0) return 0;
  if (coupon.kind === 'amount_off') return Math.min(coupon.amountOffFen ?? 0, eligibleTotalFen);
  if (coupon.kind === 'percent_off') {
    const off = Number((BigInt(eligibleTotalFen) * BigInt(coupon.percentOffBasisPoints ?? 0)) / 10_000n);
    return Math.min(off, coupon.maxDiscountFen ?? off, eligibleTotalFen);
  }
  return 0;
}

function toCoupon(row: CouponRow, now: Date): Coupon {
  const validFrom = new Date(row.valid_from);
  const validTo = new Date(row.valid_to);
  return {
    id: row.id,
    customerId: row.customer_id,
    kind: row.kind,
    title: row.title,
    description: row.description,
    amountOffFen: row.amount_off_fen === null ? null : Number(row.amount_off_fen),
    percentOffBasisPoints: row.percent_off_basis_points,
    maxDiscountFen: row.max_discount_fen === null ? null : Number(row.max_discount_fen),
    addonName: row.addon_name,
    minSpendFen: Number(row.min_spend_fen),
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    status: row.status,
    usable: row.status === 'issued' && validFrom <= now && now < validTo,
    campaignId: row.campaign_id,
    redeemedAt: row.redeemed_at ? iso(row.redeemed_at) : null,
  };
}

export interface IssueCouponInput {
  tenantId: string;
  customerId: string;
  offer: CouponOffer;
  now: Date;
  campaignId?: string | null;
  issuedBy?: string | null;
  reason?: string | null;
}

/** Puts a coupon in the customer's wallet, valid from now for offer.validDays. */
export async function issueCoupon(db: Database, input: IssueCouponInput): Promise<Coupon> {
  const validTo = new Date(input.now.getTime() + input.offer.validDays * 86_400_000);
  const [row] = await queryRows<CouponRow>(
    db,
    sql`insert into coupons (tenant_id, customer_id, campaign_id, kind, title, description, amount_off_fen,
                             percent_off_basis_points, max_discount_fen, addon_name, min_spend_fen, valid_from, valid_to,
                             issued_by, issue_reason, created_at)
        values (${input.tenantId}, ${input.customerId}, ${input.campaignId ?? null}, ${input.offer.kind}, ${input.offer.title},
                ${describeOffer(input.offer)}, ${input.offer.amountOffFen ?? null}, ${input.offer.percentOffBasisPoints ?? null},
                ${input.offer.maxDiscountFen ?? null}, ${input.offer.addonName ?? null}, ${input.offer.minSpendFen},
                ${input.now.toISOString()}::timestamptz, ${validTo.toISOString()}::timestamptz, ${input.issuedBy ?? null},
                ${input.reason ?? null}, ${input.now.toISOString()}::timestamptz)
        returning *`,
  );
  if (!row) throw new Error('coupon insert returned nothing');
  if (input.issuedBy) {
    await recordAudit(db, {
      tenantId: input.tenantId,
      actor: { staffId: input.issuedBy },
      action: 'segmentation.coupon_issued',
      subject: { type: 'coupon', id: row.id },
      after: { customerId: input.customerId, offer: input.offer },
      reason: input.reason ?? null,
    });
  }
  return toCoupon(row, input.now);
}

export async function listCoupons(
  db: Database,
  tenantId: string,
  customerId: string,
  now: Date,
  which: 'usable' | 'all',
): Promise<Coupon[]> {
  const rows = await queryRows<CouponRow>(
    db,
    sql`select * from coupons where tenant_id = ${tenantId} and customer_id = ${customerId}
        ${which === 'usable' ? sql`and status = 'issued' and valid_from <= ${now.toISOString()}::timestamptz and valid_to > ${now.toISOString()}::timestamptz` : sql``}
        order by created_at desc, id limit 200`,
  );
  return rows.map((r) => toCoupon(r, now));
}

async function lockCoupon(tx: Database, tenantId: string, couponId: string): Promise<CouponRow> {
  const [row] = await queryRows<CouponRow>(
    tx,
    sql`select * from coupons where tenant_id = ${tenantId} and id = ${couponId}::uuid for update`,
  );
  if (!row) throw new AppError('COUPON_NOT_FOUND', 'Coupon not found');
  return row;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function assertCouponId(couponId: string) {
  if (!UUID.test(couponId)) throw new AppError('COUPON_NOT_FOUND', 'Coupon not found');
}

/**
 * Locks the coupon, checks it belongs to the customer, is unused, valid at `now` and that the eligible total
 * reaches its minimum spend, then marks it reserved. Call inside the transaction that opens the bill.
 */
export async function reserveCoupon(
  tx: Database,
  input: { tenantId: string; customerId: string; couponId: string; eligibleTotalFen: number; now: Date },
): Promise<{ discountFen: number; description: string }> {
  assertCouponId(input.couponId);
  const row = await lockCoupon(tx, input.tenantId, input.couponId);
  if (row.customer_id !== input.customerId) throw new AppError('COUPON_NOT_FOUND', 'Coupon not found');
  if (row.status !== 'issued') {
    throw new AppError('COUPON_NOT_USABLE', `This coupon is ${row.status}`, { status: row.status });
  }
  const validFrom = new Date(row.valid_from);
  const validTo = new Date(row.valid_to);
  if (input.now < validFrom) {
    throw new AppError('COUPON_NOT_USABLE', 'This coupon is not valid yet', {
      status: 'not_yet_valid',
      validFrom: validFrom.toISOString(),
    });
  }
  if (input.now >= validTo) {
    throw new AppError('COUPON_EXPIRED', 'This coupon has expired', {
      validFrom: validFrom.toISOString(),
      validTo: validTo.toISOString(),
    });
  }
  const minSpend = Number(row.min_spend_fen);
  if (input.eligibleTotalFen < minSpend) {
    throw new AppError('COUPON_MIN_SPEND_NOT_MET', `This coupon needs a spend of at least ${minSpend} fen`, {
      minSpendFen: minSpend,
      eligibleTotalFen: input.eligibleTotalFen,
    });
  }
  const discountFen = couponDiscountFen(
    {
      kind: row.kind,
      amountOffFen: row.amount_off_fen === null ? null : Number(row.amount_off_fen),
      percentOffBasisPoints: row.percent_off_basis_points,
      maxDiscountFen: row.max_discount_fen === null ? null : Number(row.max_discount_fen),
    },
    input.eligibleTotalFen,
  );
  await tx.execute(
    sql`update coupons set status = 'reserved', reserved_at = ${input.now.toISOString()}::timestamptz where id = ${row.id}`,
  );
  return { discountFen, description: `${row.title}：${row.description}` };
}

/** Marks a reserved coupon used by `reference` (the settled bill). Redeeming again for the same reference is a no-op. */
export async function redeemCoupon(
  tx: Database,
  input: { tenantId: string; couponId: string; reference: { type: string; id: string } },
): Promise<void> {
  assertCouponId(input.couponId);
  const row = await lockCoupon(tx, input.tenantId, input.couponId);
  if (
    row.status === 'redeemed' &&
    row.redeemed_reference_type === input.reference.type &&
    row.redeemed_reference_id === input.reference.id
  ) {
    return;
  }
  if (row.status !== 'reserved') {
    throw new AppError('COUPON_NOT_USABLE', `This coupon is ${row.status}`, { status: row.status });
  }
  await tx.execute(
    sql`update coupons set status = 'redeemed', redeemed_at = now(), redeemed_reference_type = ${input.reference.type},
          redeemed_reference_id = ${input.reference.id}
        where id = ${row.id}`,
  );
}

/** Gives a reserved coupon back to the customer's wallet (the bill was cancelled); other states are left alone. */
export async function releaseCoupon(tx: Database, input: { tenantId: string; couponId: string }): Promise<void> {
  assertCouponId(input.couponId);
  const row = await lockCoupon(tx, input.tenantId, input.couponId);
  if (row.status !== 'reserved') return;
  await tx.execute(sql`update coupons set status = 'issued', reserved_at = null where id = ${row.id}`);
}

/**
 * Gives back a coupon that `reference` used (the shop order it paid for was refunded in full); a coupon used by
 * anything else, or not used, is left alone. Its validity window still applies when she next uses it.
 */
export async function restoreCoupon(
  tx: Database,
  input: { tenantId: string; couponId: string; reference: { type: string; id: string } },
): Promise<void> {
  assertCouponId(input.couponId);
  const row = await lockCoupon(tx, input.tenantId, input.couponId);
  if (
    row.status !== 'redeemed' ||
    row.redeemed_reference_type !== input.reference.type ||
    row.redeemed_reference_id !== input.reference.id
  ) {
    return;
  }
  await tx.execute(
    sql`update coupons set status = 'issued', reserved_at = null, redeemed_at = null, redeemed_reference_type = null,
          redeemed_reference_id = null
        where id = ${row.id}`,
  );
}
