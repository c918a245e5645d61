import type { Tender } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import {
  customerWalletAccounts,
  type Leg,
  ledgerSettings,
  placeHolds,
  pointsTenderLegs,
  type StoredValueSpend,
  tenderLeg,
} from '../ledger/index.ts';
import type { CheckoutHooks } from './hooks.ts';
import type { CheckoutDeps } from './open-bill.ts';
import type { RefundedTender } from './tables.ts';

/**
 * The tender rules and their ledger legs, in one place for everything a customer pays for like a bill: checkout's
 * bills and the shop's orders. Who pays is a `Payer`; what is paid for (`reference`) is where holds sit.
 */
export interface Payer {
  tenantId: string;
  customerId: string;
  storeId: string | null;
}

type Deps = {
  ledger: CheckoutDeps['ledger'];
  hooks: Pick<CheckoutHooks, 'authorizeCreditCharge' | 'reduceCreditSale'>;
};

/** One stored-value, points, WeChat and credit tender at most; cash and card may repeat. */
export function checkTenders(tenders: Tender[]): void {
  for (const method of ['stored_value', 'points', 'wechat', 'credit'] as const) {
    if (tenders.filter((t) => t.method === method).length > 1) {
      throw new AppError('VALIDATION_FAILED', `Only one ${method} tender per bill`, [
        { field: 'body.tenders', message: `more than one ${method}` },
      ]);
    }
  }
}

export const tenderFen = (t: Tender, pointValueFen: number) =>
  t.method === 'points' ? t.points * pointValueFen : t.amountFen;

/** Refuses tenders that do not add up to exactly `totalFen` (points at the tenant's point value). */
export async function checkTendersCover(tx: Database, tenantId: string, tenders: Tender[], totalFen: number) {
  checkTenders(tenders);
  const settings = await ledgerSettings(tx, tenantId);
  const tendered = tenders.reduce((sum, t) => sum + tenderFen(t, settings.pointValueFen), 0);
  if (tendered !== totalFen) {
    throw new AppError('BUSINESS_RULE_VIOLATED', 'The tenders do not add up to the bill', {
      totalFen,
      tenderedFen: tendered,
      differenceFen: totalFen - tendered,
    });
  }
}

/**
 * Sets aside the stored value and points the tenders will take (plus `amounts`, e.g. package sessions) until
 * `expiresAt`, under `reference`, while the rest (a customer's confirmation, a WeChat payment) is awaited.
 */
export async function holdTenders(
  tx: Database,
  payer: Payer,
  reference: { type: string; id: string },
  tenders: Tender[],
  expiresAt: Date,
  amounts: { accountId: number; amount: number }[] = [],
) {
  const wallet = await customerWalletAccounts(tx, payer.tenantId, payer.customerId);
  const held = [...amounts];
  const points = tenders.find((t) => t.method === 'points');
  if (points) held.push({ accountId: wallet.points, amount: points.points });
  const stored = tenders.find((t) => t.method === 'stored_value');
  const settings = await ledgerSettings(tx, payer.tenantId);
  await placeHolds(tx, {
    tenantId: payer.tenantId,
    reference,
    expiresAt,
    amounts: held,
    ...(stored
      ? {
          spend: {
            principalAccountId: wallet.stored_principal,
            bonusAccountId: wallet.stored_bonus,
            total: stored.amountFen,
            rule: settings.spendRule,
          },
        }
      : {}),
  });
}

export interface TenderPostings {
  legs: Leg[];
  /** Stored value to split by the ledger's spend rule (absent when it was held and is captured). */
  spend?: StoredValueSpend;
  redeemedPoints: number;
  pointsValueFen: number;
  /** The credit tender and its leg, for the credit sale recorded after the posting. */
  credit: { tender: Extract<Tender, { method: 'credit' }>; leg: Leg } | null;
}

/**
 * Every tender as the debit that pays: stored value (split by the spend rule, or exactly as it was held when
 * `captured` names the holds' reference), points at their value, the till, card terminal or WeChat clearing,
 * and a credit charge the credit hook authorises.
 */
export async function tenderPostings(
  tx: Database,
  deps: Deps,
  payer: Payer,
  tenders: Tender[],
  captured: { type: string; id: string } | null,
): Promise<TenderPostings> {
  const settings = await ledgerSettings(tx, payer.tenantId);
  const wallet = await customerWalletAccounts(tx, payer.tenantId, payer.customerId);
  const out: TenderPostings = { legs: [], redeemedPoints: 0, pointsValueFen: 0, credit: null };
  for (const tender of tenders) {
    switch (tender.method) {
      case 'stored_value':
        if (captured) out.legs.push(...(await heldStoredValue(tx, payer.tenantId, captured, wallet)));
        else
          out.spend = {
            principalAccountId: wallet.stored_principal,
            bonusAccountId: wallet.stored_bonus,
            total: tender.amountFen,
            rule: settings.spendRule,
          };
        break;
      case 'points': {
        const p = await pointsTenderLegs(tx, deps.ledger, payer.tenantId, payer.customerId, tender.points);
        out.legs.push(...p.legs);
        out.redeemedPoints = tender.points;
        out.pointsValueFen = p.valueFen;
        break;
      }
      case 'cash':
      case 'card':
      case 'wechat':
        out.legs.push(
          await tenderLeg(
            tx,
            deps.ledger,
            { tenantId: payer.tenantId, storeId: payer.storeId },
            tender.method,
            tender.amountFen,
          ),
        );
        break;
      case 'credit': {
        const leg = await deps.hooks.authorizeCreditCharge(tx, {
          tenantId: payer.tenantId,
          customerId: payer.customerId,
          amountFen: tender.amountFen,
        });
        out.legs.push(leg);
        out.credit = { tender, leg };
        break;
      }
    }
  }
  return out;
}

/** The principal and bonus the holds under `reference` set aside, as the debit legs that spend them. */
async function heldStoredValue(
  tx: Database,
  tenantId: string,
  reference: { type: string; id: string },
  wallet: { stored_principal: number; stored_bonus: number },
): Promise<Leg[]> {
  const held = await queryRows<{ account_id: number; amount: number }>(
    tx,
    sql`select account_id, sum(amount) as amount from holds
        where tenant_id = ${tenantId} and reference_type = ${reference.type} and reference_id = ${reference.id}
          and status = 'active' and account_id in (${wallet.stored_principal}, ${wallet.stored_bonus})
        group by account_id`,
  );
  if (held.length === 0) throw new AppError('CONFLICT', 'The hold on the stored value has expired');
  return held.map((h) => ({ accountId: Number(h.account_id), amount: Number(h.amount) }));
}

/**
 * Each refunded tender's money back where it came from: stored value in the principal/bonus split it was paid
 * with, points as points (their value out of points_redemption), the till or card terminal, the credit sale
 * (`saleTransferId`), and WeChat into refunds_pending until WeChat pays it out.
 */
export async function refundTenderLegs(
  tx: Database,
  deps: Deps,
  payer: Payer & { saleTransferId: number },
  tenders: RefundedTender[],
): Promise<Leg[]> {
  const { house } = deps.ledger;
  const wallet = await customerWalletAccounts(tx, payer.tenantId, payer.customerId);
  const legs: Leg[] = [];
  for (const t of tenders) {
    switch (t.method) {
      case 'stored_value':
        if (t.principalFen > 0) legs.push({ accountId: wallet.stored_principal, amount: -t.principalFen });
        if (t.bonusFen > 0) legs.push({ accountId: wallet.stored_bonus, amount: -t.bonusFen });
        break;
      case 'points':
        legs.push({ accountId: wallet.points, amount: -t.points });
        legs.push({ accountId: await house.id(tx, payer.tenantId, 'points_issued', null), amount: t.points });
        if (t.amountFen > 0)
          legs.push({ accountId: await house.id(tx, payer.tenantId, 'points_redemption', null), amount: -t.amountFen });
        break;
      case 'cash':
      case 'card':
        legs.push(
          await tenderLeg(
            tx,
            deps.ledger,
            { tenantId: payer.tenantId, storeId: payer.storeId },
            t.method,
            -t.amountFen,
          ),
        );
        break;
      case 'wechat':
        // Held until WeChat confirms paying it out; the payments module then moves it to wechat_clearing.
        legs.push({ accountId: await house.id(tx, payer.tenantId, 'refunds_pending', null), amount: -t.amountFen });
        break;
      case 'credit':
        legs.push(
          await deps.hooks.reduceCreditSale(tx, {
            tenantId: payer.tenantId,
            transferId: payer.saleTransferId,
            amountFen: t.amountFen,
          }),
        );
        break;
    }
  }
  return legs;
}
