import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { idempotencyKey, type PaymentsKit, startPaymentsKit, wallet } from '../../testing/payments-kit.ts';
import { shopCalls } from '../../testing/shop-support.ts';
import { commissionRules } from '../checkout/index.ts';

/**
 * A service voucher bought in the shop is used as a line of a bill (like a package session): its price is owed
 * as 服务券预收 from the sale, the bill line names the service and its performer, commission follows the salon's
 * service rule on what she paid, the revenue is earned once when the bill settles, and refunding the line or
 * voiding the bill gives the voucher back. Real PostgreSQL, the ledger verified after each step.
 */

let kit: PaymentsKit;
let shop: ReturnType<typeof shopCalls>;

beforeAll(async () => {
  kit = await startPaymentsKit();
  shop = shopCalls(kit);
  // 10% of every service line to its performer.
  await kit.db.db
    .insert(commissionRules)
    .values({ tenantId: kit.t.tenantId, lineType: 'service', itemId: null, role: null, kind: 'percent', value: 1_000 });
});

afterAll(async () => {
  await kit?.close();
});

beforeEach(async () => {
  await kit.db.db.execute(sql`delete from shop_cart_lines`);
});

const CUSTOMER = 1;
const customerId = () => kit.t.customers[CUSTOMER]!.id;
const store1 = () => kit.t.storeIds[0]!;

/** The tenant's balance of a house account kind (signed: credit −). */
async function house(kind: string, storeId?: string): Promise<number> {
  const [row] = await queryRows<{ sum: string }>(
    kit.db.db,
    sql`select coalesce(sum(e.amount), 0) as sum from entries e join accounts a on a.id = e.account_id
        where a.tenant_id = ${kit.t.tenantId} and a.kind = ${kind} ${storeId ? sql`and a.store_id = ${storeId}` : sql``}`,
  );
  return Number(row?.sum ?? 0);
}

async function commissionOf(billId: string): Promise<number> {
  const [row] = await queryRows<{ sum: string }>(
    kit.db.db,
    sql`select coalesce(sum(amount_fen), 0) as sum from commissions where bill_id = ${billId}
          and staff_id = ${kit.t.beautician.id}`,
  );
  return Number(row?.sum ?? 0);
}

const staff = (method: 'GET' | 'POST', url: string, payload?: object, key: string | null = idempotencyKey('bill')) =>
  shop.call(kit.beauticianHeaders(), method, url, payload, key);

async function myVouchers() {
  return (await shop.ok(await shop.asCustomer('GET', '/me/shop/vouchers', undefined, CUSTOMER, null))).items as {
    id: string;
    status: string;
    valueFen: number;
    billId: string | null;
    orderNumber: string;
  }[];
}

/** Opens a bill at store 1 with one voucher line, answered as it is: some are meant to be refused. */
const openBill = (voucherId: string, performerIds: string[] = [], customer = customerId()) =>
  staff(
    'POST',
    '/staff/bills',
    {
      storeId: store1(),
      customerId: customer,
      lines: [{ type: 'shop_voucher', shopVoucherId: voucherId, performerIds }],
    },
    null,
  );

/** One voucher she bought with stored value: the order and the voucher in her wallet. */
async function oneVoucherBought() {
  const placed = await shop.buyVouchers(1, CUSTOMER);
  const voucher = (await myVouchers()).find((v) => v.orderNumber === placed.number)!;
  return { placed, voucher };
}

async function openWithVoucher(voucherId: string, extra: object[] = []) {
  return shop.ok(
    await staff(
      'POST',
      '/staff/bills',
      {
        storeId: store1(),
        customerId: customerId(),
        lines: [...extra, { type: 'shop_voucher', shopVoucherId: voucherId, performerIds: [kit.t.beautician.id] }],
      },
      null,
    ),
    201,
  );
}

describe('service vouchers as bill lines', () => {
  it('defer revenue at sale, earn it once at the till with a performer and commission, and come back on refund and void', async () => {
    const c = await shop.catalogue();
    await shop.topUp(30_000, CUSTOMER);
    await shop.addToCart(c.voucherId, 3, CUSTOMER);
    const deferredBefore = await house('voucher_deferred_revenue');
    const revenueBefore = await house('service_revenue', store1());
    const placed = await shop.placePaid(18_000, CUSTOMER);
    expect(placed.status).toBe('completed');
    // Sold: what she paid is owed as sessions, not earned.
    expect((await house('voucher_deferred_revenue')) - deferredBefore).toBe(-18_000);
    expect((await house('service_revenue', store1())) - revenueBefore).toBe(0);
    const vouchers = (await myVouchers()).filter((v) => v.orderNumber === placed.number);
    expect(vouchers.map((v) => [v.status, v.valueFen])).toEqual([
      ['issued', 6_000],
      ['issued', 6_000],
      ['issued', 6_000],
    ]);
    const [a, b, d] = vouchers.map((v) => v.id) as [string, string, string];
    await shop.ledgerIsSound();

    // Checked as the bill opens: another customer's or named twice is 422 with the reason; made up is 404.
    const strangers = await openBill(a, [], kit.t.customers[0]!.id);
    expect(strangers.statusCode).toBe(422);
    expect(strangers.json().error).toMatchObject({
      code: 'VOUCHER_NOT_USABLE',
      details: { field: 'body.lines.0.shopVoucherId', reason: 'not_hers' },
    });
    const twice = await staff(
      'POST',
      '/staff/bills',
      {
        storeId: store1(),
        customerId: customerId(),
        lines: [
          { type: 'shop_voucher', shopVoucherId: a, performerIds: [] },
          { type: 'shop_voucher', shopVoucherId: a, performerIds: [] },
        ],
      },
      null,
    );
    expect(twice.json().error).toMatchObject({
      code: 'VOUCHER_NOT_USABLE',
      details: { field: 'body.lines.1.shopVoucherId', reason: 'repeated' },
    });
    const madeUp = await openBill(crypto.randomUUID());
    expect(madeUp.statusCode).toBe(404);
    expect(madeUp.json().error.details[0].field).toBe('body.lines.0.shopVoucherId');

    // A bill with a service and the voucher: the voucher line charges nothing and takes no discount.
    const bill = await openWithVoucher(a, [
      { type: 'service', serviceId: kit.t.serviceId, quantity: 1, performerIds: [kit.t.beautician.id] },
    ]);
    const voucherLine = bill.lines.find((l: { type: string }) => l.type === 'shop_voucher');
    expect(voucherLine).toMatchObject({ name: '面部护理体验券', amountFen: 0, performerIds: [kit.t.beautician.id] });
    expect(bill.totalFen).toBe(38_800);
    expect((await myVouchers()).find((v) => v.id === a)?.status).toBe('issued');

    const settleKey = idempotencyKey('settle');
    const settle = () =>
      staff(
        'POST',
        `/staff/bills/${bill.id}/settlement`,
        { tenders: [{ method: 'cash', amountFen: 38_800 }] },
        settleKey,
      );
    const settled = await shop.ok(await settle());
    expect(settled.status).toBe('settled');
    // Earned once, at the bill's store: 38,800 for the service and the voucher's 6,000.
    expect((await house('voucher_deferred_revenue')) - deferredBefore).toBe(-12_000);
    expect((await house('service_revenue', store1())) - revenueBefore).toBe(-(38_800 + 6_000));
    // 10% of the service (3,880) and of what she paid for the voucher (600).
    expect(await commissionOf(bill.id)).toBe(3_880 + 600);
    expect((await myVouchers()).find((v) => v.id === a)).toMatchObject({ status: 'redeemed', billId: bill.id });
    // The same settlement again replays: nothing more is earned.
    expect((await settle()).statusCode).toBe(200);
    expect((await house('service_revenue', store1())) - revenueBefore).toBe(-(38_800 + 6_000));
    await shop.ledgerIsSound();

    // Refunding the voucher line gives the voucher back and defers its revenue again; the commission goes back.
    const refundKey = idempotencyKey('refund');
    const refundBody = { lines: [{ lineId: voucherLine.id, quantity: 1 }], reason: '护理未完成' };
    const refund = await staff('POST', `/staff/bills/${bill.id}/refunds`, refundBody, refundKey);
    expect(refund.statusCode, refund.body).toBe(201);
    const replay = await staff('POST', `/staff/bills/${bill.id}/refunds`, refundBody, refundKey);
    expect(replay.statusCode).toBe(200);
    expect((await myVouchers()).find((v) => v.id === a)).toMatchObject({ status: 'issued', billId: null });
    expect((await house('voucher_deferred_revenue')) - deferredBefore).toBe(-18_000);
    expect((await house('service_revenue', store1())) - revenueBefore).toBe(-38_800);
    expect(await commissionOf(bill.id)).toBe(3_880);
    // Given back, the line cannot be refunded again.
    const again = await staff('POST', `/staff/bills/${bill.id}/refunds`, refundBody);
    expect(again.statusCode).toBe(422);
    await shop.ledgerIsSound();

    // A voucher used is refused as the next bill opens, not only when it settles.
    const usedAgain = await openBill(d);
    expect(usedAgain.statusCode).toBe(201); // d is unused so far; a was given back above
    const onBill = await openBill(d);
    expect(onBill.statusCode).toBe(422);
    expect(onBill.json().error).toMatchObject({
      code: 'VOUCHER_NOT_USABLE',
      details: { reason: 'on_another_bill', billId: usedAgain.json().id, billNumber: usedAgain.json().number },
    });
    await shop.ok(await staff('POST', `/staff/bills/${usedAgain.json().id}/settlement`, { tenders: [] }));
    const afterUse = await openBill(d);
    expect(afterUse.json().error).toMatchObject({ code: 'VOUCHER_NOT_USABLE', details: { reason: 'used' } });
    await shop.ledgerIsSound();

    // Two tills opening bills with the same voucher at once: storing a bill locks the voucher and checks again, so
    // exactly one opens and the other is VOUCHER_NOT_USABLE (on_another_bill); its settlement uses the voucher once.
    const opened = await Promise.all([0, 1].map(() => openBill(b, [kit.t.beautician.id])));
    const bills = opened.filter((r) => r.statusCode === 201).map((r) => r.json() as { id: string; totalFen: number });
    for (const r of opened.filter((x) => x.statusCode !== 201)) {
      expect(r.json().error.code).toBe('VOUCHER_NOT_USABLE');
    }
    expect(bills).toHaveLength(1);
    expect(bills[0]!.totalFen).toBe(0);
    const settlements = await Promise.all(
      bills.map((x) => staff('POST', `/staff/bills/${x.id}/settlement`, { tenders: [] })),
    );
    expect(settlements.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of settlements.filter((x) => x.statusCode !== 200)) {
      expect(r.statusCode).toBe(422);
      expect(r.json().error.code).toBe('VOUCHER_NOT_USABLE');
    }
    const used = bills[settlements.findIndex((r) => r.statusCode === 200)]!;
    expect((await house('voucher_deferred_revenue')) - deferredBefore).toBe(-6_000);
    await shop.ledgerIsSound();

    // Voiding the bill gives its voucher back.
    const voided = await shop.ok(
      await shop.call(kit.managerHeaders(), 'POST', `/staff/bills/${used.id}/void`, { reason: '开错单了' }),
    );
    expect(voided.status).toBe('voided');
    expect((await myVouchers()).find((v) => v.id === b)?.status).toBe('issued');
    expect((await house('voucher_deferred_revenue')) - deferredBefore).toBe(-12_000);
    await shop.ledgerIsSound();

    // The report's liabilities count what the vouchers still owe.
    const report = await shop.ok(await shop.asOwner('GET', '/staff/reports?period=day', undefined, null));
    expect(report.liabilities.voucherDeferredFen).toBe(-(await house('voucher_deferred_revenue')));

    // d used and kept; b on a bill not yet settled, a free. Giving b back would leave that bill unable to settle:
    // the whole order is refused (409, naming the bill); one voucher back takes a, passing over b.
    const waiting = await openWithVoucher(b);
    const before = await wallet(kit, CUSTOMER);
    const askBack = (body: object) =>
      shop.asCustomer('POST', `/me/shop/orders/${placed.id}/after-sales`, body, CUSTOMER, idempotencyKey('as'));
    const whole = await askBack({ reason: '不用了' });
    expect(whole.statusCode).toBe(409);
    expect(whole.json().error).toMatchObject({
      code: 'VOUCHER_ON_OPEN_BILL',
      details: { voucherId: b, billId: waiting.id, billNumber: waiting.number, billStatus: 'open' },
    });
    const voucherLineId = (
      await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, CUSTOMER, null))
    ).lines[0].id as string;
    const decideOpen = async () => {
      const list = await shop.ok(await shop.asManager('GET', '/staff/shop/after-sales', undefined, null));
      const open = list.items.find(
        (x: { orderId: string; status: string }) => x.orderId === placed.id && x.status === 'requested',
      );
      await shop.ok(await shop.asManager('POST', `/staff/shop/after-sales/${open.id}/decision`, { approve: true }));
      return open as { amountFen: number };
    };
    const one = { lines: [{ lineId: voucherLineId, quantity: 1 }], reason: '不用了' };
    expect((await askBack(one)).statusCode).toBe(201);
    expect(await decideOpen()).toMatchObject({ amountFen: 6_000 });
    const statusOf = async (id: string) => (await myVouchers()).find((v) => v.id === id)?.status;
    expect([await statusOf(a), await statusOf(b)]).toEqual(['void', 'issued']);
    const onlyB = await askBack(one);
    expect(onlyB.statusCode).toBe(409);
    expect(onlyB.json().error).toMatchObject({ code: 'VOUCHER_ON_OPEN_BILL', details: { billNumber: waiting.number } });
    // The till cancels the bill (取消账单): b is free, and goes back.
    await shop.ok(await staff('POST', `/staff/bills/${waiting.id}/cancel`, { reason: '顾客改约' }));
    expect((await askBack(one)).statusCode).toBe(201);
    expect(await decideOpen()).toMatchObject({ amountFen: 6_000 });
    expect(await statusOf(b)).toBe('void');
    const after = await wallet(kit, CUSTOMER);
    expect(after.principalFen + after.bonusFen - (before.principalFen + before.bonusFen)).toBe(12_000);
    expect((await house('voucher_deferred_revenue')) - deferredBefore).toBe(0);
    expect(
      (await myVouchers())
        .filter((v) => v.orderNumber === placed.number)
        .map((v) => v.status)
        .sort(),
    ).toEqual(['redeemed', 'void', 'void']);
    await shop.ledgerIsSound();
  });

  it('put on a bill after the after-sale was asked for: the approval is refused until that bill is settled', async () => {
    const { placed, voucher } = await oneVoucherBought();
    await shop.ok(
      await shop.asCustomer(
        'POST',
        `/me/shop/orders/${placed.id}/after-sales`,
        { reason: '不去了' },
        CUSTOMER,
        idempotencyKey('as'),
      ),
      201,
    );
    // She comes in after all: the till puts the voucher on a bill before the manager has decided.
    const bill = await openWithVoucher(voucher.id);
    const list = await shop.ok(await shop.asManager('GET', '/staff/shop/after-sales', undefined, null));
    const open = list.items.find((x: { orderId: string }) => x.orderId === placed.id);
    const decide = (approve: boolean) =>
      shop.asManager('POST', `/staff/shop/after-sales/${open.id}/decision`, { approve }, idempotencyKey('d'));
    const refused = await decide(true);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'VOUCHER_ON_OPEN_BILL',
      details: { voucherId: voucher.id, billId: bill.id, billNumber: bill.number },
    });
    const waiting = await shop.ok(
      await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`, undefined, CUSTOMER, null),
    );
    expect(waiting.afterSales[0].status).toBe('requested');
    // The bill settles and uses the voucher; the manager can then only refuse the request.
    expect((await shop.ok(await staff('POST', `/staff/bills/${bill.id}/settlement`, { tenders: [] }))).status).toBe(
      'settled',
    );
    expect((await decide(true)).json().error.code).toBe('VOUCHER_NOT_USABLE');
    expect((await decide(false)).statusCode).toBe(200);
    expect((await myVouchers()).find((v) => v.id === voucher.id)).toMatchObject({
      status: 'redeemed',
      billId: bill.id,
    });
    await shop.ledgerIsSound();
  });

  it('is refused while a bill waiting for her confirmation holds it, and used once she confirms', async () => {
    await shop.ok(await shop.asManager('PUT', '/staff/checkout/settings', { confirmationMode: 'confirm_first' }));
    try {
      const { voucher } = await oneVoucherBought();
      const bill = await openWithVoucher(voucher.id);
      const sent = await shop.ok(await staff('POST', `/staff/bills/${bill.id}/settlement`, { tenders: [] }));
      expect(sent.status).toBe('awaiting_customer');

      // Another till: refused at once, naming the bill she is asked to confirm.
      const elsewhere = await openBill(voucher.id);
      expect(elsewhere.statusCode).toBe(422);
      expect(elsewhere.json().error).toMatchObject({
        code: 'VOUCHER_NOT_USABLE',
        details: { reason: 'on_another_bill', billNumber: bill.number, billStatus: 'awaiting_customer' },
      });

      const confirmed = await shop.asCustomer(
        'POST',
        `/me/bills/${bill.id}/confirmation`,
        {},
        CUSTOMER,
        idempotencyKey('confirm'),
      );
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect((await myVouchers()).find((v) => v.id === voucher.id)).toMatchObject({
        status: 'redeemed',
        billId: bill.id,
      });
      await shop.ledgerIsSound();
    } finally {
      await shop.ok(await shop.asManager('PUT', '/staff/checkout/settings', { confirmationMode: 'notify' }));
    }
  });

  it('are listed for the till of the same salon only', async () => {
    const { headers: otherOwner } = await shop.otherSalonOwner();
    const otherList = await shop.call(otherOwner, 'GET', `/staff/customers/${customerId()}/shop-vouchers`);
    expect(otherList.statusCode).toBe(404);
  });
});
