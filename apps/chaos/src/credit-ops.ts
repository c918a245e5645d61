import { type ClientContext, callAndApply, expectStatus, newKey } from './model.ts';

/** 赊销 near the limit: most fit what is left of the line, a quarter go just over it and must be refused. */
export async function creditSale(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  const left = c.limitFen - c.owedFen;
  if (left < 1_000) return creditRepayment(ctx);
  const over = ctx.rng.chance(0.25);
  const amountFen = over ? left + ctx.rng.int(1, 2_000) : Math.max(100, left - ctx.rng.int(0, Math.min(left, 30_000)));
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/customers/${c.id}/credit-sales`,
      token: c.tenant.staffToken,
      idempotencyKey: newKey(ctx, 'credit'),
      body: { storeId: c.tenant.storeId, amountFen, items: [{ name: '祛痘护理', quantity: 1, amountFen }] },
    },
    (reply) => {
      if (!expectStatus(ctx, `credit sale of ${amountFen} (left ${left})`, reply, !over)) return;
      c.owedFen += amountFen;
    },
  );
}

/** 还款 in cash, part or all of what is owed. */
export async function creditRepayment(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  if (c.owedFen === 0) return creditSale(ctx);
  const amountFen = ctx.rng.chance(0.3) ? c.owedFen : ctx.rng.int(1, c.owedFen);
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/customers/${c.id}/credit-repayments`,
      token: c.tenant.staffToken,
      idempotencyKey: newKey(ctx, 'repay'),
      body: { storeId: c.tenant.storeId, amountFen, method: 'cash' },
    },
    (reply) => {
      if (!expectStatus(ctx, `repayment of ${amountFen} (owed ${c.owedFen})`, reply, true)) return;
      c.owedFen -= amountFen;
    },
  );
}
