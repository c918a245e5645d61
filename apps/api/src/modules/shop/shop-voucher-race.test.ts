import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { idempotencyKey, type PaymentsKit, startPaymentsKit } from '../../testing/payments-kit.ts';
import { shopCalls } from '../../testing/shop-support.ts';
import { closeGate, lockWaiters, until } from '../../testing/lock-waits.ts';

/**
 * A bill naming a shop service voucher and the 售后 approval giving that voucher back, at the same moment: they
 * serialise on the voucher's row, so exactly one wins and the other is 409 with a stable code — never a bill that
 * opens on a voucher given back (it could then not settle) beside an approval that went through. Real PostgreSQL,
 * many rounds, each side held mid-way in turn, the ledger verified at the end.
 */

const ROUNDS = 24;
const CUSTOMER = 1;

let kit: PaymentsKit;
let shop: ReturnType<typeof shopCalls>;

beforeAll(async () => {
  kit = await startPaymentsKit();
  shop = shopCalls(kit);
});

afterAll(async () => {
  await kit?.close();
});

const customerId = () => kit.t.customers[CUSTOMER]!.id;
const store1 = () => kit.t.storeIds[0]!;

async function voucherStatus(id: string): Promise<string | undefined> {
  const [row] = await queryRows<{ status: string }>(kit.db.db, sql`select status from shop_vouchers where id = ${id}`);
  return row?.status;
}

/**
 * Holds `table` in SHARE mode (read by all, written by none) on a connection of its own until opened: a request
 * reaching a write to it waits there, having passed everything before.
 */
const closeTableGate = (table: 'bill_lines' | 'shop_after_sales') =>
  closeGate(kit.db.db, (tx) => tx.execute(sql.raw(`lock table ${table} in share mode`)));

const waiting = () => lockWaiters(kit.db.db);

describe('a bill and the after-sale approval giving its voucher back, at once', () => {
  it('serialise on the voucher: exactly one wins, the other is 409', async () => {
    const c = await shop.catalogue();
    await shop.topUp(6_000 * ROUNDS, CUSTOMER);
    await shop.addToCart(c.voucherId, ROUNDS, CUSTOMER);
    const order = await shop.ok(
      await shop.asCustomer(
        'POST',
        '/me/shop/orders',
        { storeId: store1(), fulfilment: 'pickup', tenders: [{ method: 'stored_value', amountFen: 6_000 * ROUNDS }] },
        CUSTOMER,
        idempotencyKey('order'),
      ),
      201,
    );
    const lineId = (
      await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${order.id}`, undefined, CUSTOMER, null))
    ).lines[0].id as string;

    const wins = { bill: 0, approval: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      // She asks for one voucher back; the request names the very voucher it gives back.
      await shop.ok(
        await shop.asCustomer(
          'POST',
          `/me/shop/orders/${order.id}/after-sales`,
          { lines: [{ lineId, quantity: 1 }], reason: '不去了' },
          CUSTOMER,
          idempotencyKey('as'),
        ),
        201,
      );
      const [asked] = await queryRows<{ id: string; lines: { voucherIds: string[] }[] }>(
        kit.db.db,
        sql`select id, lines from shop_after_sales where order_id = ${order.id} and status = 'requested'`,
      );
      const voucherId = asked!.lines[0]!.voucherIds[0]!;

      // The till opens a bill with it as the manager approves. One side is let through its own checks and held at a
      // gate (a table it writes later), the other sent meanwhile, and the gate opened once that one has finished or
      // waits: the interleaving in which both used to pass. Rounds alternate which side is held.
      const openBill = () =>
        shop.call(
          kit.beauticianHeaders(),
          'POST',
          '/staff/bills',
          {
            storeId: store1(),
            customerId: customerId(),
            lines: [{ type: 'shop_voucher', shopVoucherId: voucherId, performerIds: [kit.t.beautician.id] }],
          },
          null,
        );
      const approve = () =>
        shop.asManager('POST', `/staff/shop/after-sales/${asked!.id}/decision`, { approve: true }, idempotencyKey('d'));
      const billHeld = round % 2 === 0;
      // The bill is held as it writes its lines; the approval as it marks the request approved (vouchers voided).
      const gate = await closeTableGate(billHeld ? 'bill_lines' : 'shop_after_sales');
      const held = billHeld ? openBill() : approve();
      await Promise.race([held, until(async () => (await waiting()) >= 1)]);
      const other = billHeld ? approve() : openBill();
      await Promise.race([other, until(async () => (await waiting()) >= 2)]);
      await gate.open();
      const [bill, approval] = billHeld ? [await held, await other] : [await other, await held];

      const billWon = bill.statusCode === 201;
      const approvalWon = approval.statusCode === 200;
      expect(
        [billWon, approvalWon],
        `round ${round}: bill ${bill.statusCode} ${bill.json().error?.code ?? ''}, approval ${approval.statusCode} ${approval.json().error?.code ?? ''}`,
      ).toSatisfy(([b, a]: boolean[]) => b !== a);
      if (billWon) {
        wins.bill++;
        expect(approval.statusCode).toBe(409);
        expect(approval.json().error).toMatchObject({
          code: 'VOUCHER_ON_OPEN_BILL',
          details: { voucherId, billId: bill.json().id },
        });
        expect(await voucherStatus(voucherId)).toBe('issued');
        // The bill that won settles with the voucher; the manager then refuses the request.
        const settled = await shop.ok(
          await shop.call(kit.beauticianHeaders(), 'POST', `/staff/bills/${bill.json().id}/settlement`, {
            tenders: [],
          }),
        );
        expect(settled.status).toBe('settled');
        expect(await voucherStatus(voucherId)).toBe('redeemed');
        await shop.ok(
          await shop.asManager(
            'POST',
            `/staff/shop/after-sales/${asked!.id}/decision`,
            { approve: false },
            idempotencyKey('d'),
          ),
        );
      } else {
        wins.approval++;
        expect(bill.statusCode).toBe(409);
        expect(bill.json().error).toMatchObject({
          code: 'VOUCHER_GIVEN_BACK',
          details: { field: 'body.lines.0.shopVoucherId', voucherId },
        });
        expect(await voucherStatus(voucherId)).toBe('void');
      }
      // No bill of hers still open names a voucher given back.
      const stranded = await queryRows<{ id: string }>(
        kit.db.db,
        sql`select b.id from bills b join bill_lines l on l.bill_id = b.id join shop_vouchers v on v.id = l.shop_voucher_id
            where b.customer_id = ${customerId()} and b.status = 'open' and v.status = 'void'`,
      );
      expect(stranded).toEqual([]);
    }
    expect(wins.bill + wins.approval).toBe(ROUNDS);
    await shop.ledgerIsSound();
  });
});
