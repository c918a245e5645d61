import type { DatabaseHandle } from '@lumi/api/testing/bank';
import { verifyLedger } from '@lumi/api/testing/bank';
import type { BankHttp } from './http-client.ts';
import type { CustomerModel } from './model.ts';

export interface CheckReport {
  /** Invariants checked, by name, with how many instances each. */
  checked: Record<string, number>;
  problems: string[];
}

/**
 * Everything that must hold once the faults are over and every request is known: the ledger verifies, every unit
 * sums to zero, each wallet equals its model, no line is over its limit, nothing is negative, and every WeChat
 * order was credited exactly when it was paid.
 */
export async function checkInvariants(
  database: DatabaseHandle,
  http: BankHttp,
  customers: CustomerModel[],
): Promise<CheckReport> {
  const checked: Record<string, number> = {};
  const problems: string[] = [];
  const count = (name: string) => {
    checked[name] = (checked[name] ?? 0) + 1;
  };

  const report = await verifyLedger(database.db);
  count('ledger verify');
  for (const p of report.problems) problems.push(`ledger verify [${p.check}] ${p.message}`);

  const { rows: units } = await database.rawQuery(
    'select unit, sum(amount)::text as total, count(*)::int as entries from entries group by unit order by unit',
  );
  for (const row of units as { unit: string; total: string; entries: number }[]) {
    count('unit sums to zero');
    if (row.total !== '0') problems.push(`unit ${row.unit} sums to ${row.total} over ${row.entries} entries`);
  }

  await Promise.all(customers.map((c) => checkWallet(http, c, count, problems)));
  await checkOrders(database, customers, count, problems);
  return { checked, problems };
}

async function checkWallet(
  http: BankHttp,
  c: CustomerModel,
  count: (name: string) => void,
  problems: string[],
): Promise<void> {
  const reply = await http.send(
    { method: 'GET', path: `/staff/customers/${c.id}/wallet`, token: c.tenant.staffToken },
    Date.now() + 60_000,
  );
  if (reply?.status !== 200) {
    problems.push(`wallet of ${c.id} could not be read: ${reply?.status}`);
    return;
  }
  const w = reply.body;
  const expect = (name: string, actual: number, wanted: number) => {
    count(name);
    if (actual !== wanted) problems.push(`customer ${c.id}: ${name} is ${actual}, the model says ${wanted}`);
  };
  expect('stored value equals the model', w.totalFen, c.totalFen);
  expect('points equal the model', w.points, c.points);
  expect('credit owed equals the model', w.credit.owedFen, c.owedFen);
  const cards = new Map((w.packageCards as { id: string; sessionsLeft: number }[]).map((card) => [card.id, card]));
  expect('package cards equal the model', cards.size, c.cards.length);
  for (const card of c.cards)
    expect('sessions left equal the model', cards.get(card.id)?.sessionsLeft ?? -1, card.sessionsLeft);
  count('credit within its limit');
  if (w.credit.limitFen !== null && w.credit.owedFen > w.credit.limitFen)
    problems.push(`customer ${c.id}: owes ${w.credit.owedFen} over a limit of ${w.credit.limitFen}`);
  count('nothing negative');
  for (const [name, value] of Object.entries({
    principal: w.principalFen,
    bonus: w.bonusFen,
    points: w.points,
    owed: w.credit.owedFen,
    ...Object.fromEntries([...cards.values()].map((card) => [`sessions of ${card.id}`, card.sessionsLeft])),
  })) {
    if ((value as number) < 0) problems.push(`customer ${c.id}: ${name} is negative (${value})`);
  }
}

/** Every order the clients placed: SUCCESS with its transfer when paid in WeChat, no transfer when not. */
async function checkOrders(
  database: DatabaseHandle,
  customers: CustomerModel[],
  count: (name: string) => void,
  problems: string[],
): Promise<void> {
  const { rows } = await database.rawQuery('select out_trade_no, state, transfer_id from payment_orders');
  const stored = new Map(
    (rows as { out_trade_no: string; state: string; transfer_id: number | null }[]).map((r) => [r.out_trade_no, r]),
  );
  for (const order of customers.flatMap((c) => c.orders)) {
    count(order.paid ? 'paid WeChat order credited' : 'unpaid WeChat order not credited');
    const row = stored.get(order.outTradeNo);
    if (!row) problems.push(`order ${order.outTradeNo} is not in payment_orders`);
    else if (order.paid && (row.state !== 'SUCCESS' || row.transfer_id === null))
      problems.push(`paid order ${order.outTradeNo} is ${row.state} with transfer ${row.transfer_id}`);
    else if (!order.paid && (row.state === 'SUCCESS' || row.transfer_id !== null))
      problems.push(`unpaid order ${order.outTradeNo} is ${row.state} with transfer ${row.transfer_id}`);
  }
}
