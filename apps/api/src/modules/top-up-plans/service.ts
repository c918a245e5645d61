import {
  type AuditAction,
  CreateTopUpPlanRequestSchema,
  type ManagedTopUpPlan,
  type TopUpPlanStatus,
  type UpdateTopUpPlanRequest,
  type WithdrawTopUpPlanRequest,
} from '@lumi/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Database, queryRows } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { historyNow, topUpPlans } from '../ledger/index.ts';

/**
 * 充值方案 as a manager keeps them. Every change is audited with the offer's before and after. An offer a customer
 * has used keeps its terms for good (see @lumi/shared settings/top-up-plans.ts); it is withdrawn, never deleted,
 * so history and the shop's items still name it. A module of its own, not part of settings: it needs the ledger's
 * table, and the ledger (through customers) already sits on top of settings.
 */

type PlanRow = typeof topUpPlans.$inferSelect;
/** The fields that decide what a top-up gives: fixed once the offer is used. */
const TERMS = ['payFen', 'bonusFen', 'bonusPoints', 'giftPackagePlanId'] as const;

interface Usage {
  timesUsed: number;
  /** Named by a shop item or a WeChat payment order (paid or waiting). */
  named: boolean;
}

/**
 * How often each offer of the tenant was used: top-ups posted with it (till and WeChat record the plan in the
 * transfer) and shop order lines that sold it; and which offers a shop item or a WeChat payment order names.
 * The transfers part reads the partial expression index transfers_top_up_plan_idx (migration 0038), not the
 * tenant's history: its where clause must keep matching that index's expression and predicate.
 */
export function usageQuery(tenantId: string, planId?: string) {
  const only = (column: string) => (planId ? sql` and ${sql.raw(column)} = ${planId}` : sql``);
  return sql`select plan_id, sum(used)::int as used, sum(named)::int as named from (
          select details->'plan'->>'id' as plan_id, 1 as used, 0 as named from transfers
          where tenant_id = ${tenantId} and kind = 'top_up' and details->'plan'->>'id' is not null
            ${only("details->'plan'->>'id'")}
          union all
          select top_up_plan_id::text, 1, 0 from shop_order_lines
          where tenant_id = ${tenantId} and top_up_plan_id is not null ${only('top_up_plan_id::text')}
          union all
          select top_up_plan_id::text, 0, 1 from shop_items
          where tenant_id = ${tenantId} and top_up_plan_id is not null ${only('top_up_plan_id::text')}
          union all
          select purpose_ref, 0, 1 from payment_orders
          where tenant_id = ${tenantId} and purpose = 'top_up' and purpose_ref is not null ${only('purpose_ref')}
        ) u group by plan_id`;
}

async function usageOf(db: Database, tenantId: string, planId?: string): Promise<Map<string, Usage>> {
  const rows = await queryRows<{ plan_id: string; used: number; named: number }>(db, usageQuery(tenantId, planId));
  return new Map(rows.map((r) => [r.plan_id, { timesUsed: Number(r.used), named: Number(r.named) > 0 }]));
}

function statusOf(plan: PlanRow, now: Date): TopUpPlanStatus {
  if (!plan.active) return 'withdrawn';
  if (plan.validFrom && plan.validFrom > now) return 'scheduled';
  if (plan.validTo && plan.validTo < now) return 'ended';
  return 'in_force';
}

/** What the audit log keeps of an offer. */
const snapshot = (plan: PlanRow) => ({
  name: plan.name,
  payFen: plan.payFen,
  bonusFen: plan.bonusFen,
  bonusPoints: plan.bonusPoints,
  giftPackagePlanId: plan.giftPackagePlanId,
  validFrom: plan.validFrom?.toISOString() ?? null,
  validTo: plan.validTo?.toISOString() ?? null,
  active: plan.active,
});

function managed(plan: PlanRow, usage: Usage | undefined, now: Date): ManagedTopUpPlan {
  const { active: _, ...terms } = snapshot(plan);
  const timesUsed = usage?.timesUsed ?? 0;
  return {
    id: plan.id,
    ...terms,
    status: statusOf(plan, now),
    timesUsed,
    termsFixed: timesUsed > 0 || (usage?.named ?? false),
    createdAt: plan.createdAt.toISOString(),
  };
}

/** Every offer of the tenant, withdrawn ones too: those in force first, then by price. */
export async function listManagedTopUpPlans(db: Database, tenantId: string, now: Date): Promise<ManagedTopUpPlan[]> {
  const [rows, usage] = await Promise.all([
    db.select().from(topUpPlans).where(eq(topUpPlans.tenantId, tenantId)).orderBy(asc(topUpPlans.payFen)),
    usageOf(db, tenantId),
  ]);
  const order: TopUpPlanStatus[] = ['in_force', 'scheduled', 'ended', 'withdrawn'];
  return rows
    .map((p) => managed(p, usage.get(p.id), now))
    .sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
}

/** A gift package card must be one of the tenant's package plans on sale. */
async function checkGiftPlan(db: Database, tenantId: string, giftPackagePlanId: string | null | undefined) {
  if (!giftPackagePlanId) return;
  const [found] = await queryRows<{ id: string }>(
    db,
    sql`select id from package_plans where tenant_id = ${tenantId} and id = ${giftPackagePlanId} and active`,
  );
  if (!found)
    throw new AppError('NOT_FOUND', 'Package plan not found', [
      { field: 'body.giftPackagePlanId', message: 'no such package plan on sale' },
    ]);
}

/** Locks the tenant's offer for a change; 404 for another tenant's or no offer. */
async function lockedPlan(db: Database, tenantId: string, id: string): Promise<PlanRow> {
  const [plan] = await db
    .select()
    .from(topUpPlans)
    .where(and(eq(topUpPlans.tenantId, tenantId), eq(topUpPlans.id, id)))
    .for('update');
  if (!plan) throw new AppError('NOT_FOUND', 'Top-up plan not found');
  return plan;
}

const toDate = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

interface Ctx {
  tenantId: string;
  staffId: string;
  now: Date;
}

/** Records a change of an offer, in the transaction that made it. */
function auditPlan(
  tx: Database,
  ctx: Ctx,
  entry: { action: AuditAction; id: string; before?: unknown; after?: unknown; reason?: string | null },
) {
  const { action, id, ...change } = entry;
  return recordAudit(tx, {
    tenantId: ctx.tenantId,
    actor: { staffId: ctx.staffId },
    action,
    subject: { type: 'top_up_plan', id },
    ...change,
  });
}

async function setPlan(tx: Database, id: string, values: Partial<typeof topUpPlans.$inferInsert>): Promise<PlanRow> {
  const [row] = await tx.update(topUpPlans).set(values).where(eq(topUpPlans.id, id)).returning();
  if (!row) throw new Error('update returned no row');
  return row;
}

export async function createTopUpPlan(
  db: Database,
  ctx: Ctx,
  input: z.output<typeof CreateTopUpPlanRequestSchema>,
): Promise<ManagedTopUpPlan> {
  return db.transaction(async (tx) => {
    await checkGiftPlan(tx, ctx.tenantId, input.giftPackagePlanId);
    const [plan] = await tx
      .insert(topUpPlans)
      .values({
        tenantId: ctx.tenantId,
        name: input.name,
        payFen: input.payFen,
        bonusFen: input.bonusFen,
        bonusPoints: input.bonusPoints,
        giftPackagePlanId: input.giftPackagePlanId,
        validFrom: toDate(input.validFrom),
        validTo: toDate(input.validTo),
        // Dated in the history being imported (the demo seed), else now.
        createdAt: historyNow() ?? ctx.now,
      })
      .returning();
    if (!plan) throw new Error('insert returned no row');
    await auditPlan(tx, ctx, { action: 'top_up_plan.created', id: plan.id, after: snapshot(plan) });
    return managed(plan, undefined, ctx.now);
  });
}

export async function updateTopUpPlan(
  db: Database,
  ctx: Ctx,
  id: string,
  changes: UpdateTopUpPlanRequest,
): Promise<ManagedTopUpPlan> {
  return db.transaction(async (tx) => {
    const before = await lockedPlan(tx, ctx.tenantId, id);
    if (!before.active) throw new AppError('TOP_UP_PLAN_WITHDRAWN', 'This top-up plan was withdrawn');
    const usage = (await usageOf(tx, ctx.tenantId, id)).get(id);
    const changedTerms = TERMS.filter((k) => changes[k] !== undefined && changes[k] !== before[k]);
    if (changedTerms.length > 0 && (usage?.timesUsed || usage?.named)) {
      throw new AppError('TOP_UP_PLAN_TERMS_FIXED', 'This top-up plan has been used: withdraw it and create another', {
        fields: changedTerms,
      });
    }
    // The merged offer must still hold together (the request alone may name only one side of a pair).
    const { active: _, ...current } = snapshot(before);
    const merged = { ...current, ...changes };
    const problems = CreateTopUpPlanRequestSchema.safeParse(merged);
    if (!problems.success) {
      const issue = problems.error.issues[0];
      throw new AppError('VALIDATION_FAILED', issue?.message ?? 'invalid', [
        { field: `body.${issue?.path.join('.') ?? ''}`, message: issue?.message ?? 'invalid' },
      ]);
    }
    await checkGiftPlan(tx, ctx.tenantId, changes.giftPackagePlanId);
    const after = await setPlan(tx, id, {
      ...merged,
      validFrom: toDate(merged.validFrom),
      validTo: toDate(merged.validTo),
    });
    await auditPlan(tx, ctx, { action: 'top_up_plan.updated', id, before: snapshot(before), after: snapshot(after) });
    return managed(after, usage, ctx.now);
  });
}

/** Takes the offer off the till, the customer app and new WeChat orders; a second withdrawal changes nothing. */
export async function withdrawTopUpPlan(
  db: Database,
  ctx: Ctx,
  id: string,
  body: WithdrawTopUpPlanRequest,
): Promise<ManagedTopUpPlan> {
  return db.transaction(async (tx) => {
    const before = await lockedPlan(tx, ctx.tenantId, id);
    const usage = (await usageOf(tx, ctx.tenantId, id)).get(id);
    if (!before.active) return managed(before, usage, ctx.now);
    const after = await setPlan(tx, id, { active: false });
    const change = { before: { active: true }, after: { active: false }, reason: body.reason ?? null };
    await auditPlan(tx, ctx, { action: 'top_up_plan.withdrawn', id, ...change });
    return managed(after, usage, ctx.now);
  });
}
