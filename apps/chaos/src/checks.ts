import type { DatabaseHandle } from '@lumi/api/testing/bank';
import { verifyLedger } from '@lumi/api/testing/bank';
import type { BankHttp } from './http-client.ts';
import type { CustomerModel } from './model.ts';

export interface CheckReport {
  /** Invariants checked, by name, with how many instances each. */
  checked: Record<string, number>;
  problems: string[];
}

const FOREVER = () => Date.now() + 30_000;

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

  for (const c of customers) {
    const reply = await http.send(
      { method: 'GET', path: `/staff/customers/${c.id}/wallet`, token: c.tenant.staffToken },
      FOREVER(),
    );
    if (reply?.status !== 200) {
      problems.push(`wallet of ${c.id} could not be read: ${reply?.status}`);
      continue;
    }
    const w = reply.body;
    const expect = (name: string, actual: number, wanted: number) => {
      count(name);
      if (actual !== wanted) problems.push(`customer ${c.id}: ${name} is ${actual}, the model says ${wanted}`);
    };
    expect('stored value equals the model', w.totalFen, c.totalFen);
    expect('points equal the model', w.points, c.points);
    expect('credit owed equals the model', w.credit.owedFen, c.owedFen);
    count('credit within its limit');
    if (w.credit.limitFen !== null && w.credit.owedFen > w.credit.limitFen)
      problems.push(`customer ${c.id}: owes ${w.credit.owedFen} over a limit of ${w.credit.limitFen}`);
    count('nothing negative');
    for (const [name, value] of Object.entries({
      principal: w.principalFen,
      bonus: w.bonusFen,
      points: w.points,
      owed: w.credit.owedFen,
    })) {
      if ((value as number) < 0) problems.push(`customer ${c.id}: ${name} is negative (${value})`);
    }
    for (const order of c.orders) await checkOrder(http, c, order, count, problems);
  }
  return { checked, problems };
}

async function checkOrder(
  http: BankHttp,
  c: CustomerModel,
  order: CustomerModel['orders'][number],
  count: (name: string) => void,
  problems: string[],
): Promise<void> {
  const reply = await http.send({ method: 'GET', path: `/me/payments/${order.outTradeNo}`, token: c.token }, FOREVER());
  count(order.paid ? 'paid WeChat order credited once' : 'unpaid WeChat order not credited');
  if (reply?.status !== 200) {
    problems.push(`order ${order.outTradeNo} could not be read: ${reply?.status}`);
    return;
  }
  const { state, transferId } = reply.body;
  if (order.paid && (state !== 'SUCCESS' || transferId === null))
    problems.push(`paid order ${order.outTradeNo} is ${state} with transfer ${transferId}`);
  if (!order.paid && (state === 'SUCCESS' || transferId !== null))
    problems.push(`unpaid order ${order.outTradeNo} is ${state} with transfer ${transferId}`);
}
