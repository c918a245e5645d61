import { type ClientContext, callAndApply, expectStatus, newKey, pointsFor, topUpBonus } from './model.ts';

/** 充值 at the till, cash or card; now and then exactly an offer's price, which earns its bonus. */
export async function topUp(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  const amountFen = ctx.rng.chance(0.15) ? 100_000 : ctx.rng.int(1_000, 99_999);
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/customers/${c.id}/top-ups`,
      token: c.tenant.staffToken,
      idempotencyKey: newKey(ctx, 'topup'),
      body: { storeId: c.tenant.storeId, amountFen, method: ctx.rng.pick(['cash', 'card'] as const) },
    },
    (reply) => {
      if (!expectStatus(ctx, 'top-up', reply, true)) return;
      const bonus = topUpBonus(amountFen);
      c.totalFen += amountFen + bonus.bonusFen;
      c.bonusGrantedFen += bonus.bonusFen;
      c.points += bonus.points;
    },
  );
}

/** 消费 from stored value; one in ten asks for more than the balance and must be refused. */
export async function spend(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  if (c.totalFen < 200) return topUp(ctx);
  const over = ctx.rng.chance(0.1);
  const amountFen = over ? c.totalFen + ctx.rng.int(1, 5_000) : ctx.rng.int(100, Math.min(c.totalFen, 80_000));
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/customers/${c.id}/spends`,
      token: c.tenant.staffToken,
      idempotencyKey: newKey(ctx, 'spend'),
      body: { storeId: c.tenant.storeId, amountFen, items: [{ name: '面部护理', quantity: 1, amountFen }] },
    },
    (reply) => {
      if (!expectStatus(ctx, `spend of ${amountFen} (balance ${c.totalFen})`, reply, !over)) return;
      c.totalFen -= amountFen;
      c.points += pointsFor(amountFen);
      c.reversibleSpends.push({ transferId: reply.body.transferId, amountFen, points: pointsFor(amountFen) });
    },
  );
}

/** 冲正 of an earlier spend by a manager: the money and the points it earned go back. */
export async function reverseSpend(ctx: ClientContext): Promise<boolean> {
  const c = ctx.customer;
  const index = c.reversibleSpends.length ? ctx.rng.int(0, c.reversibleSpends.length - 1) : -1;
  const target = c.reversibleSpends[index];
  if (!target) return spend(ctx);
  c.reversibleSpends.splice(index, 1);
  return callAndApply(
    ctx,
    {
      method: 'POST',
      path: `/staff/transfers/${target.transferId}/reversal`,
      token: c.tenant.managerToken,
      idempotencyKey: newKey(ctx, 'reversal'),
      body: { reason: '收银错误冲正' },
    },
    (reply) => {
      if (!expectStatus(ctx, `reversal of transfer ${target.transferId}`, reply, true)) return;
      c.totalFen += target.amountFen;
      c.points -= target.points;
    },
  );
}
