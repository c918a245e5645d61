/**
 * One Idempotency-Key contract across operations: a key belongs to one tenant, one operation and one body. A
 * key first used by one money route is refused (422 IDEMPOTENCY_KEY_REUSED) by every other, which writes
 * nothing; the same key sent to two operations at once applies one of them at most.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedTables, type DbSnapshot, snapshotDatabase } from './testing/db-snapshot.ts';
import {
  type CreatedOrder,
  idempotencyKey,
  orderTopUp,
  type PaymentsKit,
  payInWechat,
  startPaymentsKit,
} from './testing/payments-kit.ts';

let kit: PaymentsKit;
/** A paid WeChat top-up that every payment refund takes 1 yuan of. */
let paid: CreatedOrder;

interface Answer {
  statusCode: number;
  body: string;
  json(): { error?: { code: string } };
}

/** A money route: `prepare` makes what it acts on (under keys of its own), `send` is the keyed request. */
interface Operation {
  name: string;
  prepare(): Promise<unknown>;
  send(target: unknown, key: string): Promise<Answer>;
}

const customer = () => kit.t.customers[0]!.id;
const store = () => kit.t.storeIds[0];

function staffPost(url: string, payload: object, key: string = idempotencyKey('setup')) {
  return kit.app.inject({
    method: 'POST',
    url,
    headers: { ...kit.managerHeaders(), 'idempotency-key': key },
    payload,
  });
}

function customerPost(url: string, payload: object, key: string) {
  return kit.app.inject({
    method: 'POST',
    url,
    headers: { ...kit.customerHeaders(), 'idempotency-key': key },
    payload,
  });
}

async function openBill(): Promise<{ id: string; totalFen: number; lines: { id: string }[] }> {
  const res = await staffPost('/staff/bills', {
    storeId: store(),
    customerId: customer(),
    lines: [{ type: 'service', serviceId: kit.t.serviceId, quantity: 1, performerIds: [kit.t.manager.id] }],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const cash = (amountFen: number) => ({ tenders: [{ method: 'cash', amountFen }] });

async function settledBill() {
  const bill = await openBill();
  const res = await staffPost(`/staff/bills/${bill.id}/settlement`, cash(bill.totalFen));
  expect(res.statusCode, res.body).toBe(200);
  return bill;
}

type Bill = Awaited<ReturnType<typeof openBill>>;

const operations: Operation[] = [
  {
    name: 'stored-value top-up',
    prepare: async () => null,
    send: (_, key) =>
      staffPost(`/staff/customers/${customer()}/top-ups`, { storeId: store(), amountFen: 1_000, method: 'cash' }, key),
  },
  {
    name: 'credit sale',
    prepare: async () => null,
    send: (_, key) =>
      staffPost(
        `/staff/customers/${customer()}/credit-sales`,
        { storeId: store(), amountFen: 500, revenue: 'service', items: [], dueDate: '2027-01-31' },
        key,
      ),
  },
  {
    name: 'credit repayment',
    prepare: async () => null,
    send: (_, key) =>
      staffPost(
        `/staff/customers/${customer()}/credit-repayments`,
        { storeId: store(), amountFen: 100, method: 'cash' },
        key,
      ),
  },
  {
    name: 'bill settlement',
    prepare: openBill,
    send: (bill, key) => staffPost(`/staff/bills/${(bill as Bill).id}/settlement`, cash((bill as Bill).totalFen), key),
  },
  {
    name: 'bill refund',
    prepare: settledBill,
    send: (bill, key) =>
      staffPost(
        `/staff/bills/${(bill as Bill).id}/refunds`,
        { lines: [{ lineId: (bill as Bill).lines[0]!.id, amountFen: 100 }], reason: '部分退款' },
        key,
      ),
  },
  {
    name: 'bill void',
    prepare: settledBill,
    send: (bill, key) => staffPost(`/staff/bills/${(bill as Bill).id}/void`, { reason: '开错单' }, key),
  },
  {
    name: 'WeChat top-up order',
    prepare: async () => null,
    send: (_, key) => customerPost('/me/payments/top-ups', { amountFen: 1_000 }, key),
  },
  {
    name: 'WeChat credit repayment order',
    prepare: async () => null,
    send: (_, key) => customerPost('/me/payments/credit-repayments', { amountFen: 100 }, key),
  },
  {
    name: 'WeChat payment refund',
    prepare: async () => null,
    send: (_, key) => staffPost(`/staff/payments/${paid.outTradeNo}/refunds`, { amountFen: 100, reason: '退款' }, key),
  },
];

/** Tables written after a request's answer, by notifications and their delivery, whatever the request. */
const ASYNC_TABLES = new Set(['outbound_messages', 'sms_messages', 'payment_notifications']);

/** The database once the work a request set off after answering (notifications) has finished. */
async function settledSnapshot(): Promise<DbSnapshot> {
  let before = await snapshotDatabase(kit.db);
  for (let round = 0; round < 50; round++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await snapshotDatabase(kit.db);
    if (changedTables(before, after).length === 0) return after;
    before = after;
  }
  return before;
}

const succeeded = (res: Answer) => res.statusCode >= 200 && res.statusCode < 300;

function expectReused(res: Answer) {
  expect(res.statusCode, res.body).toBe(422);
  expect(res.json().error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
}

beforeAll(async () => {
  kit = await startPaymentsKit();
  const limit = await kit.app.inject({
    method: 'PUT',
    url: `/staff/customers/${customer()}/credit-line/limit`,
    headers: kit.managerHeaders(),
    payload: { limitFen: 500_000, reason: '老顾客' },
  });
  expect(limit.statusCode, limit.body).toBe(200);
  const sale = await staffPost(`/staff/customers/${customer()}/credit-sales`, {
    storeId: store(),
    amountFen: 100_000,
    revenue: 'service',
    items: [],
    dueDate: '2027-01-31',
  });
  expect(sale.statusCode, sale.body).toBe(201);
  paid = await orderTopUp(kit, { amountFen: 100_000 });
  payInWechat(kit, paid);
  await kit.sim.waitForNotification({ outTradeNo: paid.outTradeNo, until: ['acked'] });
}, 60_000);

afterAll(async () => {
  await kit?.close();
});

const pairs = operations.flatMap((first) =>
  operations.filter((second) => second !== first).map((second) => [first, second] as const),
);

describe('an Idempotency-Key across money operations', () => {
  it.each(pairs.map(([first, second]) => [first.name, second.name, first, second] as const))(
    'used for a %s, is refused for a %s, which writes nothing',
    async (_a, _b, first, second) => {
      const key = idempotencyKey('shared');
      const original = await first.prepare();
      const answer = await first.send(original, key);
      expect(succeeded(answer), answer.body).toBe(true);
      const target = await second.prepare();
      const before = await settledSnapshot();
      expectReused(await second.send(target, key));
      const after = await snapshotDatabase(kit.db);
      expect(changedTables(before, after).filter((name) => !ASYNC_TABLES.has(name))).toEqual([]);
      // The key still belongs to the first operation: its replay answers as the first time did.
      const replay = await first.send(original, key);
      expect(replay.statusCode, replay.body).toBe(200);
    },
    30_000,
  );

  const unordered = pairs.filter(([a, b]) => operations.indexOf(a) < operations.indexOf(b));
  it.each(unordered.map(([a, b]) => [a.name, b.name, a, b] as const))(
    'sent to a %s and a %s at once, applies one of them at most',
    async (_a, _b, first, second) => {
      const key = idempotencyKey('race');
      const [x, y] = [await first.prepare(), await second.prepare()];
      const answers = await Promise.all([first.send(x, key), second.send(y, key)]);
      const applied = answers.filter(succeeded);
      expect(applied.length, answers.map((a) => a.body).join('\n')).toBeLessThanOrEqual(1);
      for (const refused of answers.filter((a) => !succeeded(a))) expectReused(refused);
      const claims = (await kit.db.rawQuery(
        'select operation from idempotency_keys where tenant_id = $1 and key = $2',
        [kit.t.tenantId, key],
      )) as { rows: { operation: string }[] };
      expect(claims.rows.length).toBe(applied.length);
    },
    30_000,
  );
});
