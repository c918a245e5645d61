import type { CustomerNote } from '@lumi/shared';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { staff } from '../staff/index.ts';
import { getCustomer } from './service.ts';
import { customerNotes } from './tables.ts';

/** Newest first; a customer's notes are few (a line per visit at most), so no paging. */
export async function listNotes(db: Database, tenantId: string, customerId: string): Promise<CustomerNote[]> {
  await getCustomer(db, tenantId, customerId);
  const rows = await db
    .select({
      id: customerNotes.id,
      body: customerNotes.body,
      authorId: customerNotes.authorId,
      authorName: staff.name,
      createdAt: customerNotes.createdAt,
    })
    .from(customerNotes)
    .innerJoin(staff, and(eq(staff.tenantId, customerNotes.tenantId), eq(staff.id, customerNotes.authorId)))
    .where(and(eq(customerNotes.tenantId, tenantId), eq(customerNotes.customerId, customerId)))
    .orderBy(desc(customerNotes.createdAt), desc(customerNotes.id))
    .limit(200);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

export async function addNote(
  db: Database,
  input: { tenantId: string; customerId: string; authorId: string; body: string },
): Promise<CustomerNote> {
  await getCustomer(db, input.tenantId, input.customerId);
  const [row] = await db.insert(customerNotes).values(input).returning();
  if (!row) throw new Error('insert returned no row');
  const [author] = await db
    .select({ name: staff.name })
    .from(staff)
    .where(and(eq(staff.tenantId, input.tenantId), eq(staff.id, input.authorId)));
  return {
    id: row.id,
    body: row.body,
    authorId: row.authorId,
    authorName: author?.name ?? '',
    createdAt: row.createdAt.toISOString(),
  };
}
