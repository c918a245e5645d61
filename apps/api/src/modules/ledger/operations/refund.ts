import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../../../db/database.ts';
import { AppError } from '../../../errors.ts';
import { customerWalletAccounts } from '../accounts.ts';
import { type LedgerDeps, ledgerSettings, type Posting } from '../context.ts';
import { type Leg, type Posted, postTransfer } from '../post.ts';
import { postedUnderKey } from './replay.ts';
import { tenderLeg } from './tenders.ts';

interface Cycle {
  principalIn: number;
  bonusIn: number;
  principalOut: number;
  bonusOut: number;
  principalHeld: number;
  bonusHeld: number;
}

/**
 * Stored-value movements since the last refund emptied the wallet (a refund closes a cycle). The cycle starts
 * after the refund's last entry on either account: its bonus entry (and a refund of bonus only) must not count
 * as consumption in the next cycle. Entry ids grow in lock order on these accounts, which the caller holds.
 */
async function storedValueCycle(db: Database, tenantId: string, principal: number, bonus: number): Promise<Cycle> {
  const [row] = await queryRows<Record<keyof Cycle, number>>(
    db,
    sql`with last_refund as (
          select coalesce(max(e.id), 0) as id from entries e join transfers t on t.id = e.transfer_id
          where e.account_id in (${principal}, ${bonus}) and t.kind = 'top_up_refund'
        )
        select
          coalesce(sum(-e.amount) filter (where e.account_id = ${principal} and e.amount < 0), 0) as "principalIn",
          coalesce(sum(-e.amount) filter (where e.account_id = ${bonus} and e.amount < 0), 0) as "bonusIn",
          coalesce(sum(e.amount) filter (where e.account_id = ${principal} and e.amount > 0), 0) as "principalOut",
          coalesce(sum(e.amount) filter (where e.account_id = ${bonus} and e.amount > 0), 0) as "bonusOut",
          (select -balance from accounts where id = ${principal} and tenant_id = ${tenantId}) as "principalHeld",
          (select -balance from accounts where id = ${bonus} and tenant_id = ${tenantId}) as "bonusHeld"
        from entries e
        where e.account_id in (${principal}, ${bonus}) and e.id > (select id from last_refund)`,
  );
  if (!row) throw new Error('no cycle row');
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v ?? 0)])) as unknown as Cycle;
}

/**
 * What the customer gets back. `forfeit_bonus`: the principal still held; unused bonus is forfeited.
 * `net_bonus_used` (the prepaid-consumption interpretation): what was consumed is valued at
 * paid ÷ (paid + bonus), so a customer who spent bonus faster than that share pays it back out of principal.
 */
export function refundableFen(rule: 'forfeit_bonus' | 'net_bonus_used', c: Cycle): number {
  if (rule === 'forfeit_bonus') return c.principalHeld;
  const consumed = c.principalOut + c.bonusOut;
  const paidIn = c.principalIn + c.bonusIn;
  if (paidIn === 0) return c.principalHeld;
  const fairPrincipalConsumed = Number(
    (BigInt(consumed) * BigInt(c.principalIn) + BigInt(paidIn) / 2n) / BigInt(paidIn),
  );
  return Math.max(0, Math.min(c.principalHeld, c.principalIn - fairPrincipalConsumed));
}

/** 退储值: the wallet is emptied; the refundable principal goes back through the tender, the rest is settled. */
export async function refundTopUp(
  db: Database,
  deps: LedgerDeps,
  posting: Posting,
  input: { method: 'cash' | 'card' | 'wechat'; reason: string },
): Promise<Posted> {
  return db.transaction(async (tx) => {
    const settings = await ledgerSettings(tx, posting.tenantId);
    const wallet = await customerWalletAccounts(tx, posting.tenantId, posting.customerId);
    await tx.execute(
      sql`select 1 from accounts where id in (${wallet.stored_principal}, ${wallet.stored_bonus}) order by id for update`,
    );
    const replayed = await postedUnderKey(tx, posting);
    if (replayed !== null) return replayed;
    const cycle = await storedValueCycle(tx, posting.tenantId, wallet.stored_principal, wallet.stored_bonus);
    if (cycle.principalHeld === 0 && cycle.bonusHeld === 0) {
      throw new AppError('BUSINESS_RULE_VIOLATED', 'There is no stored value to refund');
    }
    const refund = refundableFen(settings.refundRule, cycle);
    const kept = cycle.principalHeld - refund;
    const bonusExpense = await deps.house.id(tx, posting.tenantId, 'bonus_expense', null);
    const legs: Leg[] = [];
    if (cycle.principalHeld > 0) legs.push({ accountId: wallet.stored_principal, amount: cycle.principalHeld });
    if (refund > 0) legs.push({ ...(await tenderLeg(tx, deps, posting, input.method, refund)), amount: -refund });
    // Principal kept back and bonus forfeited both undo promotional expense booked when the bonus was granted.
    if (kept + cycle.bonusHeld > 0) legs.push({ accountId: bonusExpense, amount: -(kept + cycle.bonusHeld) });
    if (cycle.bonusHeld > 0) legs.push({ accountId: wallet.stored_bonus, amount: cycle.bonusHeld });
    const posted = await postTransfer(tx, {
      ...posting,
      kind: 'top_up_refund',
      memo: input.reason,
      details: {
        method: input.method,
        rule: settings.refundRule,
        refundFen: refund,
        principalKeptFen: kept,
        bonusForfeitedFen: cycle.bonusHeld,
        reason: input.reason,
      },
      legs,
    });
    return posted;
  });
}
