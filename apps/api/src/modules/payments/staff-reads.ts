import type { PaymentListQuerySchema, PaymentOrder } from '@lumi/shared';
import { and, desc, eq, exists, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Payments } from './context.ts';
import { orderView } from './service.ts';
import { paymentOrders, paymentRefunds } from './tables.ts';

type Query = z.infer<typeof PaymentListQuerySchema>;

const encode = (row: { createdAt: Date; id: string }) =>
  Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

function decode(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw new Error();
    return { createdAt, id };
  } catch {
    throw new AppError('VALIDATION_FAILED', 'This cursor was not made by this list', [
      { field: 'querystring.cursor', message: 'invalid cursor' },
    ]);
  }
}

/** The tenant's WeChat payments with their refunds, newest first, for managers chasing money and refunds. */
export async function listPayments(payments: Payments, tenantId: string, query: Query) {
  const conditions: (SQL | undefined)[] = [
    eq(paymentOrders.tenantId, tenantId),
    query.customerId ? eq(paymentOrders.customerId, query.customerId) : undefined,
    query.purpose ? eq(paymentOrders.purpose, query.purpose) : undefined,
    query.state ? eq(paymentOrders.state, query.state) : undefined,
  ];
  if (query.refundState) {
    conditions.push(
      exists(
        payments.db
          .select({ one: sql`1` })
          .from(paymentRefunds)
          .where(and(eq(paymentRefunds.orderId, paymentOrders.id), eq(paymentRefunds.state, query.refundState))),
      ),
    );
  }
  if (query.cursor) {
    const after = decode(query.cursor);
    conditions.push(
      or(
        sql`${paymentOrders.createdAt} < ${after.createdAt}`,
        and(eq(paymentOrders.createdAt, after.createdAt), sql`${paymentOrders.id} < ${after.id}`),
      ),
    );
  }
  const rows = await payments.db
    .select()
    .from(paymentOrders)
    .where(and(...conditions))
    .orderBy(desc(paymentOrders.createdAt), desc(paymentOrders.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items: PaymentOrder[] = [];
  // Staff never get the customer's payment parameters.
  for (const row of page) items.push({ ...(await orderView(payments, row)), requestPayment: null });
  const last = page.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encode(last) : null };
}
