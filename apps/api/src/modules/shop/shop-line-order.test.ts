import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { usePaymentsKit } from '../../testing/payments-kit.ts';
import { shopCalls } from '../../testing/shop-support.ts';

// An order lists its lines in the order she put the items in her cart (migration 0037), not by their random ids.
const kit = usePaymentsKit();
let shop: ReturnType<typeof shopCalls>;

beforeAll(async () => {
  shop = shopCalls(kit);
});

beforeEach(async () => {
  await kit.db.db.execute(sql`delete from shop_cart_lines`);
});

describe('order lines', () => {
  it('keep the order she added the items in, on her order, her list and the staff order view', async () => {
    const c = await shop.catalogue({ stock: 10 });
    const names = { [c.productId]: '玻尿酸精华', [c.voucherId]: '面部护理体验券', [c.cardId]: '面部护理十次卡' };
    // Two orders of the same three items added in opposite orders: ids would list both the same way.
    const sequences = [
      [c.voucherId, c.cardId, c.productId],
      [c.productId, c.cardId, c.voucherId],
    ];
    for (const items of sequences) {
      for (const itemId of items) await shop.addToCart(itemId, 1);
      // A later quantity change keeps the first item's place.
      await shop.addToCart(items[0]!, 2);
      const cart = await shop.ok(await shop.asCustomer('GET', '/me/shop/cart'));
      expect(cart.lines.map((l: { itemId: string }) => l.itemId)).toEqual(items);

      await shop.topUp(200_000);
      const total = cart.totalFen as number;
      const placed = await shop.placePaid(total);
      const expected = items.map((id) => names[id]);
      const lineNames = (order: { lines: { name: string }[] }) => order.lines.map((l) => l.name);
      expect(lineNames(placed)).toEqual(expected);
      expect(placed.lines[0].quantity).toBe(2);

      const mine = await shop.ok(await shop.asCustomer('GET', `/me/shop/orders/${placed.id}`));
      expect(lineNames(mine)).toEqual(expected);
      const list = await shop.ok(await shop.asCustomer('GET', '/me/shop/orders'));
      expect(lineNames(list.items.find((o: { id: string }) => o.id === placed.id))).toEqual(expected);
      const staff = await shop.ok(await shop.asManager('GET', `/staff/shop/orders/${placed.id}`));
      expect(lineNames(staff)).toEqual(expected);
    }
    await shop.ledgerIsSound();
  });
});
