import type { Cart, CartLineRequest } from '@lumi/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { getItemRow, priceFor } from './catalogue.ts';
import type { ShopDeps } from './deps.ts';
import { shopCartLines, shopItems } from './tables.ts';

export interface Customer {
  tenantId: string;
  id: string;
}

/** The cart's lines with today's prices for her tier (the order snapshots them when it is placed). */
export async function cartLines(db: Database, deps: ShopDeps, customer: Customer) {
  const tier = await deps.tierOf(db, customer.tenantId, customer.id);
  const rows = await db
    .select({ line: shopCartLines, item: shopItems })
    .from(shopCartLines)
    .innerJoin(shopItems, and(eq(shopItems.tenantId, shopCartLines.tenantId), eq(shopItems.id, shopCartLines.itemId)))
    .where(and(eq(shopCartLines.tenantId, customer.tenantId), eq(shopCartLines.customerId, customer.id)))
    .orderBy(asc(shopCartLines.addedSeq));
  return rows.map(({ line, item }) => {
    const unitPriceFen = priceFor(item, tier.tierId);
    return { item, quantity: line.quantity, unitPriceFen, amountFen: unitPriceFen * line.quantity };
  });
}

export async function presentCart(db: Database, deps: ShopDeps, customer: Customer): Promise<Cart> {
  const lines = (await cartLines(db, deps, customer)).map((l) => ({
    itemId: l.item.id,
    name: l.item.name,
    kind: l.item.kind,
    imagePath: l.item.imagePath,
    quantity: l.quantity,
    unitPriceFen: l.unitPriceFen,
    amountFen: l.amountFen,
    onSale: l.item.onSale,
  }));
  return { lines, totalFen: lines.filter((l) => l.onSale).reduce((sum, l) => sum + l.amountFen, 0) };
}

/** Sets how many of an item are in the cart; 0 takes it out. Only items on sale can be added. */
export async function setCartLine(db: Database, customer: Customer, request: CartLineRequest) {
  if (request.quantity === 0) {
    await db
      .delete(shopCartLines)
      .where(
        and(
          eq(shopCartLines.tenantId, customer.tenantId),
          eq(shopCartLines.customerId, customer.id),
          eq(shopCartLines.itemId, request.itemId),
        ),
      );
    return;
  }
  const item = await getItemRow(db, customer.tenantId, request.itemId);
  if (!item.onSale) throw new AppError('NOT_FOUND', 'Item not found');
  await db
    .insert(shopCartLines)
    .values({ tenantId: customer.tenantId, customerId: customer.id, itemId: item.id, quantity: request.quantity })
    .onConflictDoUpdate({
      target: [shopCartLines.customerId, shopCartLines.itemId],
      set: { quantity: request.quantity, updatedAt: new Date() },
    });
}

export async function clearCart(db: Database, customer: Customer) {
  await db
    .delete(shopCartLines)
    .where(and(eq(shopCartLines.tenantId, customer.tenantId), eq(shopCartLines.customerId, customer.id)));
}
