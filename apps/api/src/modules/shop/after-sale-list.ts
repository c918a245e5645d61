import type { AfterSale, AfterSalesQuery } from '@lumi/shared';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { presentAfterSale } from './read-order.ts';
import { shopAfterSales, shopOrders } from './tables.ts';

interface Manager {
  tenantId: string;
  storeIds: string[];
}

/** Waiting requests sort before decided ones; within each, newest first. */
const decidedRank = sql<number>`(case when ${shopAfterSales.status} = 'requested' then 0 else 1 end)`;

/**
 * The 售后 list of the manager's stores, a page at a time by keyset (rank, created_at, id): a request decided
 * between two pages moves to the decided part, and paging on reads each request at most once from where it was.
 */
export async function afterSalePage(
  db: Database,
  manager: Manager,
  query: AfterSalesQuery,
): Promise<{ items: AfterSale[]; nextCursor: string | null }> {
  const [rank, at, id] = query.cursor ? query.cursor.split('~') : [];
  const after =
    rank !== undefined
      ? sql`(${decidedRank} > ${Number(rank)} or (${decidedRank} = ${Number(rank)}
              and (${shopAfterSales.createdAt}, ${shopAfterSales.id}) < (${at}::timestamptz, ${id}::uuid)))`
      : undefined;
  const rows = await db
    .select({ afterSale: shopAfterSales, number: shopOrders.number, rank: decidedRank })
    .from(shopAfterSales)
    .innerJoin(shopOrders, eq(shopOrders.id, shopAfterSales.orderId))
    .where(and(eq(shopAfterSales.tenantId, manager.tenantId), inArray(shopOrders.storeId, manager.storeIds), after))
    .orderBy(asc(decidedRank), desc(shopAfterSales.createdAt), desc(shopAfterSales.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => presentAfterSale(r.afterSale, r.number)),
    nextCursor:
      rows.length > query.limit && last
        ? `${last.rank}~${last.afterSale.createdAt.toISOString()}~${last.afterSale.id}`
        : null,
  };
}

/** One request, opened by its id (审批 已处理 links here); another store's or another salon's is not found. */
export async function afterSaleById(db: Database, manager: Manager, afterSaleId: string): Promise<AfterSale> {
  const [row] = await db
    .select({ afterSale: shopAfterSales, number: shopOrders.number, storeId: shopOrders.storeId })
    .from(shopAfterSales)
    .innerJoin(shopOrders, eq(shopOrders.id, shopAfterSales.orderId))
    .where(and(eq(shopAfterSales.tenantId, manager.tenantId), eq(shopAfterSales.id, afterSaleId)));
  if (!row || !manager.storeIds.includes(row.storeId)) throw new AppError('NOT_FOUND', 'After-sale not found');
  return presentAfterSale(row.afterSale, row.number);
}
