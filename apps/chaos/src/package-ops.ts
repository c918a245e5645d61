import { type ClientContext, callAndApply, expectStatus, newKey } from './model.ts';

/** The fixture tenants' package plan (补水护理10次卡): ten sessions for ¥1,000, earning no points. */
const PLAN = { sessions: 10, priceFen: 100_000 };

/**
 * 次卡: sells the customer a card (cash, or stored value when the model says it covers the price), or uses 1–3
 * sessions of a card they hold — one use in ten asks for more sessions than are left, which must be refused.
 */
export async function packageCard(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  const usable = c.cards.filter((card) => card.sessionsLeft > 0);
  if (usable.length === 0 || ctx.rng.chance(0.25)) return sellCard(ctx);
  const card = ctx.rng.pick(usable);
  const over = ctx.rng.chance(0.1);
  const sessions = over ? card.sessionsLeft + 1 : ctx.rng.int(1, Math.min(3, card.sessionsLeft));
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/customers/${c.id}/package-cards/${card.id}/consumptions`,
      token: c.tenant.staffToken,
      idempotencyKey: newKey(ctx, 'sessions'),
      body: { storeId: c.tenant.storeId, sessions },
    },
    (reply) => {
      if (!expectStatus(ctx, `use ${sessions} of ${card.sessionsLeft} sessions of card ${card.id}`, reply, !over))
        return;
      card.sessionsLeft -= sessions;
      ctx.counts.sessionsUsed = (ctx.counts.sessionsUsed ?? 0) + 1;
    },
  );
}

async function sellCard(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  const method = c.totalFen >= PLAN.priceFen && ctx.rng.chance(0.5) ? 'stored_value' : 'cash';
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/customers/${c.id}/package-cards`,
      token: c.tenant.staffToken,
      idempotencyKey: newKey(ctx, 'card'),
      body: { storeId: c.tenant.storeId, planId: c.tenant.packagePlanId, method },
    },
    (reply) => {
      if (!expectStatus(ctx, `sell a package card (${method})`, reply, true)) return;
      const id = reply.body.details?.packageCardId;
      if (typeof id !== 'string') {
        ctx.violations.push(
          `package card sale for ${c.id} answered no card: ${JSON.stringify(reply.body).slice(0, 200)}`,
        );
        return;
      }
      if (method === 'stored_value') c.totalFen -= PLAN.priceFen;
      c.cards.push({ id, sessionsLeft: PLAN.sessions });
      ctx.counts.cardsSold = (ctx.counts.cardsSold ?? 0) + 1;
    },
  );
}
