import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { customerIdentities, customerNotes, customers } from './tables.ts';

/**
 * Moves what a sign-up with history holds to the surviving customer, inside the binding's transaction (which
 * holds both customers' rows). Implemented above this module (modules/merging: it posts through the ledger);
 * returns what moved, for the audit record. Throws CUSTOMER_MERGE_CONFLICT where merging is not safe.
 */
export type AbsorbSignUp = (
  tx: Database,
  merge: { tenantId: string; fromId: string; intoId: string },
) => Promise<Record<string, unknown>>;

export interface PhoneBindingResult {
  /** The customer the signed-in WeChat user is from now on. */
  customerId: string;
  /** True when the sign-up was absorbed by the customer the front desk had registered with this phone. */
  merged: boolean;
}

/**
 * Anything that makes a customer more than a fresh sign-up: money, points or sessions posted to her accounts,
 * bills, payments, credit, coupons. Read by table name because these tables belong to modules that sit above
 * this one (they import customers); a sign-up with any of it is not merged automatically.
 */
async function hasHistory(db: Database, tenantId: string, customerId: string): Promise<boolean> {
  const result = (await db.execute(sql`
    select exists (select 1 from accounts where tenant_id = ${tenantId} and customer_id = ${customerId} and version > 0)
        or exists (select 1 from bills where tenant_id = ${tenantId} and customer_id = ${customerId})
        or exists (select 1 from payment_orders where tenant_id = ${tenantId} and customer_id = ${customerId})
        or exists (select 1 from credit_lines where tenant_id = ${tenantId} and customer_id = ${customerId})
        or exists (select 1 from credit_limit_requests where tenant_id = ${tenantId} and customer_id = ${customerId})
        or exists (select 1 from coupons where tenant_id = ${tenantId} and customer_id = ${customerId}) as found`)) as {
    rows: { found: boolean }[];
  };
  return result.rows[0]?.found === true;
}

/**
 * Gives the signed-in customer the phone WeChat vouched for. When the front desk had already registered a customer
 * with that phone, that customer — with her balances, cards, credit and bills — becomes the account: the WeChat
 * identities (and one-time message consents, and notes) move to her and the sign-up is retired (merged_into_id).
 * A sign-up that already holds something (money, points, cards, bills…) is absorbed by `absorb` in the same
 * transaction; without it such a binding is refused (409 CUSTOMER_MERGE_CONFLICT).
 */
export async function bindPhone(
  db: Database,
  input: { tenantId: string; customerId: string; phone: string; appId: string },
  absorb?: AbsorbSignUp,
): Promise<PhoneBindingResult> {
  const { tenantId, customerId, phone } = input;
  try {
    return await db.transaction(async (tx) => {
      const [holder] = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(
          and(
            eq(customers.tenantId, tenantId),
            eq(customers.phone, phone),
            isNull(customers.mergedIntoId),
            ne(customers.id, customerId),
          ),
        );
      // Both rows locked in id order, so two bindings racing over the same pair cannot deadlock.
      const locked = await tx
        .select({ id: customers.id, mergedIntoId: customers.mergedIntoId })
        .from(customers)
        .where(
          and(eq(customers.tenantId, tenantId), inArray(customers.id, holder ? [customerId, holder.id] : [customerId])),
        )
        .orderBy(customers.id)
        .for('update');
      const me = locked.find((row) => row.id === customerId);
      if (!me || me.mergedIntoId) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');

      if (!holder) {
        await tx.update(customers).set({ phone }).where(eq(customers.id, customerId));
        return { customerId, merged: false };
      }
      const [otherLogin] = await tx
        .select({ id: customerIdentities.id })
        .from(customerIdentities)
        .where(and(eq(customerIdentities.customerId, holder.id), eq(customerIdentities.appId, input.appId)));
      if (otherLogin) {
        throw new AppError('PHONE_BOUND_ELSEWHERE', 'This phone belongs to a member signed in with another WeChat');
      }
      let absorbed: Record<string, unknown> | null = null;
      if (await hasHistory(tx, tenantId, customerId)) {
        if (!absorb) {
          throw new AppError('CUSTOMER_MERGE_CONFLICT', 'Both accounts have history; the front desk must merge them', {
            customerId: holder.id,
          });
        }
        absorbed = await absorb(tx, { tenantId, fromId: customerId, intoId: holder.id });
      }
      const moved = eq(customerIdentities.customerId, customerId);
      await tx.update(customerIdentities).set({ customerId: holder.id }).where(moved);
      await tx.execute(
        sql`update subscribe_consents set customer_id = ${holder.id} where tenant_id = ${tenantId} and customer_id = ${customerId}`,
      );
      await tx
        .update(customerNotes)
        .set({ customerId: holder.id })
        .where(and(eq(customerNotes.tenantId, tenantId), eq(customerNotes.customerId, customerId)));
      await tx.update(customers).set({ mergedIntoId: holder.id }).where(eq(customers.id, customerId));
      await recordAudit(tx, {
        tenantId,
        actor: { customerId },
        action: 'customer.merged',
        subject: { type: 'customer', id: holder.id },
        before: { signUpId: customerId },
        after: { customerId: holder.id, phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`, moved: absorbed },
      });
      return { customerId: holder.id, merged: true };
    });
  } catch (error) {
    // Someone registered or bound the same phone in the moment between our read and our write.
    if (sqlState(error) === UNIQUE_VIOLATION) {
      throw new AppError('CONFLICT', 'The phone was taken meanwhile; try again');
    }
    throw error;
  }
}
