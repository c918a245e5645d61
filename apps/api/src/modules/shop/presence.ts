import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { shopItems } from './tables.ts';

/** Whether the salon's shop has anything a customer can buy: the customer app shows its 商城 tab only then. */
export async function shopOpen(db: Database, tenantId: string): Promise<boolean> {
  const [row] = await db
    .select({ open: sql<boolean>`true` })
    .from(shopItems)
    .where(and(eq(shopItems.tenantId, tenantId), eq(shopItems.onSale, true)))
    .limit(1);
  return row !== undefined;
}
