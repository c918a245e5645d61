import { billFlow } from './bill-ops.ts';
import { creditRepayment, creditSale } from './credit-ops.ts';
import { reverseSpend, spend, topUp } from './ledger-ops.ts';
import type { ClientContext } from './model.ts';
import { packageCard } from './package-ops.ts';
import { shopOrder } from './shop-ops.ts';
import { sleep } from './sleep.ts';
import { wechatRefund, wechatTopUp } from './wechat-ops.ts';

const OPERATIONS = {
  topUp,
  spend,
  creditSale,
  creditRepayment,
  billFlow,
  reverseSpend,
  wechatTopUp,
  wechatRefund,
  packageCard,
  shopOrder,
} as const;

const WEIGHTS: Record<keyof typeof OPERATIONS, number> = {
  topUp: 18,
  spend: 20,
  creditSale: 12,
  creditRepayment: 8,
  billFlow: 20,
  reverseSpend: 7,
  wechatTopUp: 12,
  wechatRefund: 9,
  packageCard: 8,
  shopOrder: 10,
};

/**
 * One client: a customer's till and phone, one request at a time (so the model of their wallet stays exact),
 * until the deadline or until a request goes unanswered (then it is pending and the client stops).
 */
export async function runClient(ctx: ClientContext): Promise<void> {
  while (Date.now() < ctx.deadline) {
    const name = ctx.rng.weighted(WEIGHTS);
    ctx.counts[name] = (ctx.counts[name] ?? 0) + 1;
    const answered = await OPERATIONS[name](ctx);
    if (!answered || ctx.pending) return;
    await sleep(ctx.rng.int(0, 150));
  }
}

/** After the faults: every unanswered request is replayed with its key until it is known. */
export async function resolvePending(clients: ClientContext[], deadline: number): Promise<string[]> {
  const unresolved: string[] = [];
  await Promise.all(
    clients.map(async (ctx) => {
      const pending = ctx.pending;
      if (!pending) return;
      if (await pending.resolve(deadline)) ctx.pending = null;
      else unresolved.push(`${ctx.customer.id}: ${pending.describe}`);
    }),
  );
  return unresolved;
}
