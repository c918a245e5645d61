/**
 * Test support for the shop (imported only by tests): a catalogue made through the manager's routes, money and
 * points in a customer's wallet, and the customer's side of ordering, against a payments kit (real API, WeChat
 * simulator).
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { queryRows } from '../db/database.ts';
import { verifyLedger } from '../modules/ledger/index.ts';
import { createTenantFixture } from './fixtures.ts';
import { bearer } from './harness.ts';
import { idempotencyKey, type PaymentsKit } from './payments-kit.ts';

type Method = 'GET' | 'POST' | 'PUT';

export function shopCalls(kit: PaymentsKit) {
  const call = async (
    headers: Record<string, string>,
    method: Method,
    url: string,
    payload?: object,
    key: string | null = idempotencyKey('shop'),
  ) =>
    kit.app.inject({
      method,
      url,
      headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) },
      ...(payload ? { payload } : {}),
    });
  const ok = async (res: Awaited<ReturnType<typeof call>>, status = 200) => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const ownerHeaders = () =>
    ({
      authorization: `Bearer ${kit.app.jwt.sign({
        kind: 'staff',
        sub: kit.t.owner.id,
        tenantId: kit.t.tenantId,
        role: 'owner',
        storeIds: kit.t.owner.storeIds,
      })}`,
    }) as Record<string, string>;

  const calls = {
    call,
    ok,
    asManager: (method: Method, url: string, payload?: object, key?: string | null) =>
      call(kit.managerHeaders(), method, url, payload, key),
    asOwner: (method: Method, url: string, payload?: object, key?: string | null) =>
      call(ownerHeaders(), method, url, payload, key),
    asCustomer: (method: Method, url: string, payload?: object, customer = 0, key?: string | null) =>
      call(kit.customerHeaders(customer), method, url, payload, key),

    /** A category with one product (stock at store 1), one voucher and one package card, made by the manager. */
    async catalogue(
      options: { stock?: number; listPriceFen?: number; tierPrice?: { tierId: string; priceFen: number } } = {},
    ) {
      const category = await ok(
        await call(kit.managerHeaders(), 'POST', '/staff/shop/categories', { name: '护肤', sortOrder: 1 }),
        201,
      );
      const product = await ok(
        await call(kit.managerHeaders(), 'POST', '/staff/shop/items', {
          categoryId: category.id,
          kind: 'product',
          name: '玻尿酸精华',
          description: '补水保湿',
          imagePath: '/shop-images/serum.svg',
          listPriceFen: options.listPriceFen ?? 10_000,
          tierPrices: options.tierPrice ? [options.tierPrice] : [],
          pointsPrice: 5_000,
        }),
        201,
      );
      await ok(
        await call(kit.managerHeaders(), 'PUT', `/staff/shop/items/${product.id}/stock`, {
          storeId: kit.t.storeIds[0],
          quantity: options.stock ?? 10,
        }),
      );
      const voucher = await ok(
        await call(kit.managerHeaders(), 'POST', '/staff/shop/items', {
          categoryId: category.id,
          kind: 'service_voucher',
          name: '面部护理体验券',
          listPriceFen: 6_000,
          serviceId: kit.t.serviceId,
        }),
        201,
      );
      const card = await ok(
        await call(kit.managerHeaders(), 'POST', '/staff/shop/items', {
          categoryId: category.id,
          kind: 'package_card',
          name: '面部护理十次卡',
          listPriceFen: 50_000,
          packagePlanId: kit.t.packagePlanId,
        }),
        201,
      );
      return {
        categoryId: category.id as string,
        productId: product.id as string,
        voucherId: voucher.id,
        cardId: card.id,
      };
    },

    async topUp(amountFen: number, customer = 0) {
      await ok(
        await call(kit.managerHeaders(), 'POST', `/staff/customers/${kit.t.customers[customer]!.id}/top-ups`, {
          storeId: kit.t.storeIds[0],
          amountFen,
          method: 'cash',
        }),
        201,
      );
    },

    async givePoints(points: number, customer = 0) {
      await ok(
        await call(
          kit.managerHeaders(),
          'POST',
          `/staff/customers/${kit.t.customers[customer]!.id}/points-adjustments`,
          {
            points,
            reason: '测试赠送积分',
          },
        ),
        201,
      );
    },

    async addToCart(itemId: string, quantity: number, customer = 0) {
      return ok(await call(kit.customerHeaders(customer), 'PUT', '/me/shop/cart/lines', { itemId, quantity }, null));
    },

    /** Her cart as a pickup order at store 1, paid at once with `amountFen` of stored value (201). */
    async placePaid(amountFen: number, customer = 0) {
      const body = {
        storeId: kit.t.storeIds[0],
        fulfilment: 'pickup',
        tenders: [{ method: 'stored_value', amountFen }],
      };
      return ok(
        await call(kit.customerHeaders(customer), 'POST', '/me/shop/orders', body, idempotencyKey('order')),
        201,
      );
    },

    /** The owner of another salon (a tenant of its own), for checks that ours stays out of reach. */
    async otherSalonOwner() {
      const other = await createTenantFixture(kit.db.db, kit.config.WECHAT_CUSTOMER_APPID);
      const claims = { kind: 'staff', sub: other.owner.id, tenantId: other.tenantId, role: 'owner' } as const;
      return { other, headers: bearer(kit.app.jwt.sign({ ...claims, storeIds: other.storeIds })) };
    },

    async stockAt(itemId: string, store = 0): Promise<number> {
      const [row] = await queryRows<{ quantity: number }>(
        kit.db.db,
        sql`select quantity from shop_stock where item_id = ${itemId} and store_id = ${kit.t.storeIds[store]}`,
      );
      return Number(row?.quantity ?? 0);
    },

    async ledgerIsSound() {
      const report = await verifyLedger(kit.db.db, kit.t.tenantId);
      expect(report.ok, JSON.stringify(report)).toBe(true);
    },

    /** `count` service vouchers (¥60 each) of a new catalogue, bought with stored value topped up for them. */
    async buyVouchers(count: number, customer = 0) {
      const { voucherId } = await calls.catalogue();
      await calls.topUp(6_000 * count, customer);
      await calls.addToCart(voucherId, count, customer);
      return calls.placePaid(6_000 * count, customer);
    },
  };
  return calls;
}

/** Puts the customer in a new tier of the fixture tenant and returns its id (segmentation's tables, directly). */
export async function placeInTier(kit: PaymentsKit, customer = 0): Promise<string> {
  const [tier] = await queryRows<{ id: string }>(
    kit.db.db,
    sql`insert into tier_levels (tenant_id, name, threshold_fen, discount_basis_points, points_multiplier_percent)
        values (${kit.t.tenantId}, '金卡', 0, 0, 100) returning id`,
  );
  await kit.db.db.execute(
    sql`insert into customer_tiers (tenant_id, customer_id, tier_id, qualifying_fen, since, evaluated_at)
        values (${kit.t.tenantId}, ${kit.t.customers[customer]!.id}, ${tier!.id}, 0, now(), now())`,
  );
  return tier!.id;
}

/**
 * A customer of the kit's salon with an empty wallet of her own and a WeChat identity, so a scenario's numbers
 * are not mixed with another's; returns her index in `kit.t.customers`.
 */
export async function addWalletCustomer(kit: PaymentsKit, name: string): Promise<number> {
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const [row] = await queryRows<{ id: string }>(
    kit.db.db,
    sql`insert into customers (tenant_id, name, phone) values (${kit.t.tenantId}, ${name}, ${phone}) returning id`,
  );
  const openid = `openid-${row!.id.slice(0, 12)}`;
  await kit.db.db.execute(
    sql`insert into customer_identities (tenant_id, customer_id, app_id, openid)
        values (${kit.t.tenantId}, ${row!.id}, ${kit.config.WECHAT_CUSTOMER_APPID}, ${openid})`,
  );
  kit.t.customers.push({ id: row!.id, name, openid });
  return kit.t.customers.length - 1;
}
