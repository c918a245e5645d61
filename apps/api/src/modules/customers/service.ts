import {
  BrandSettingsSchema,
  type CustomerList,
  type CustomerListQuery,
  type CustomerProfile,
  type CustomerSummary,
} from '@lumi/shared';
import { and, desc, eq, ilike, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { getTenantById, readSettingsSection } from '../tenants/index.ts';
import { customerIdentities, customers } from './tables.ts';

export interface WechatIdentity {
  tenantId: string;
  appId: string;
  openid: string;
  unionid?: string | undefined;
}

/**
 * The customer behind a mini-program openid in a tenant, created on first login. Two first logins racing
 * each other end with one customer: the loser's insert hits the unique identity and it reads the winner's.
 */
export async function findOrCreateCustomerByIdentity(
  db: Database,
  identity: WechatIdentity,
): Promise<{ id: string; name: string | null; isNew: boolean }> {
  const existing = await findByIdentity(db, identity);
  if (existing) return { ...existing, isNew: false };
  try {
    const created = await db.transaction(async (tx) => {
      const [customer] = await tx
        .insert(customers)
        .values({ tenantId: identity.tenantId })
        .returning({ id: customers.id, name: customers.name });
      if (!customer) throw new Error('insert returned no row');
      await tx.insert(customerIdentities).values({
        tenantId: identity.tenantId,
        customerId: customer.id,
        appId: identity.appId,
        openid: identity.openid,
        unionid: identity.unionid ?? null,
      });
      return customer;
    });
    return { ...created, isNew: true };
  } catch (error) {
    const winner = sqlState(error) === UNIQUE_VIOLATION ? await findByIdentity(db, identity) : undefined;
    if (!winner) throw error;
    return { ...winner, isNew: false };
  }
}

async function findByIdentity(db: Database, identity: WechatIdentity) {
  const [row] = await db
    .select({ id: customers.id, name: customers.name })
    .from(customerIdentities)
    .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
    .where(
      and(
        eq(customerIdentities.tenantId, identity.tenantId),
        eq(customerIdentities.appId, identity.appId),
        eq(customerIdentities.openid, identity.openid),
      ),
    );
  return row;
}

export async function getCustomer(db: Database, tenantId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)));
  if (!row) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
  return row;
}

export async function getCustomerProfile(db: Database, tenantId: string, customerId: string): Promise<CustomerProfile> {
  const row = await getCustomer(db, tenantId, customerId);
  const tenant = await getTenantById(db, tenantId);
  const brand = await readSettingsSection(db, tenantId, 'brand', BrandSettingsSchema);
  return {
    id: row.id,
    tenantId: row.tenantId,
    tenantName: tenant.name,
    name: row.name,
    phone: row.phone,
    gender: row.gender,
    birthday: row.birthday,
    tags: row.tags,
    memberSince: row.createdAt.toISOString(),
    brandColor: brand.color,
  };
}

interface Cursor {
  createdAt: string;
  id: string;
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(raw: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      typeof parsed.createdAt === 'string' &&
      typeof parsed.id === 'string' &&
      !Number.isNaN(Date.parse(parsed.createdAt))
    ) {
      return { createdAt: parsed.createdAt, id: parsed.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION_FAILED', 'The cursor is invalid', [
    { field: 'query.cursor', message: 'invalid cursor' },
  ]);
}

/** Newest customers first, keyset-paginated so deep pages cost the same as the first. */
export async function listCustomers(db: Database, tenantId: string, query: CustomerListQuery): Promise<CustomerList> {
  const conditions = [eq(customers.tenantId, tenantId)];
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const match = or(ilike(customers.name, pattern), ilike(customers.phone, pattern));
    if (match) conditions.push(match);
  }
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    const after = or(
      lt(customers.createdAt, new Date(cursor.createdAt)),
      and(eq(customers.createdAt, new Date(cursor.createdAt)), sql`${customers.id} < ${cursor.id}::uuid`),
    );
    if (after) conditions.push(after);
  }
  const rows = await db
    .select()
    .from(customers)
    .where(and(...conditions))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const items: CustomerSummary[] = page.map((r) => ({
    id: r.id,
    name: r.name,
    phone: r.phone,
    gender: r.gender,
    tags: r.tags,
  }));
  return {
    items,
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
  };
}
