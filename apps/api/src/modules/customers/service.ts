import type {
  CustomerList,
  CustomerListQuery,
  CustomerProfile,
  CustomerSummary,
  MyProfile,
  RegisterCustomerSchema,
} from '@lumi/shared';
import { and, desc, eq, ilike, isNull, lt, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { sqlState, UNIQUE_VIOLATION } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { getTenantById } from '../tenants/index.ts';
import { brandSettings } from './brand.ts';
import { customerIdentities, customers } from './tables.ts';

export interface WechatIdentity {
  tenantId: string;
  appId: string;
  openid: string;
  unionid?: string | undefined;
}

/** Who is looking decides how much of a phone number they see (personal-information rules). */
export interface Viewer {
  fullPhone: boolean;
}

export const FULL_VIEW: Viewer = { fullPhone: true };

/** 13800000003 → 138****0003. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

const live = isNull(customers.mergedIntoId);

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

/** A customer of the tenant; one absorbed by a phone merge no longer exists for anyone. */
export async function getCustomer(db: Database, tenantId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId), live));
  if (!row) throw new AppError('CUSTOMER_NOT_FOUND', 'Customer not found');
  return row;
}

/**
 * For a statement that reads more than the customer: `{"name": …}` of a live customer of the tenant (as
 * getCustomer finds them), null when there is none.
 */
export const liveCustomerSql = (tenantId: string, customerId: string) =>
  sql<{ name: string | null } | null>`(select json_build_object('name', ${customers.name}) from ${customers}
    where ${and(eq(customers.tenantId, tenantId), eq(customers.id, customerId), live)})`;

type CustomerRow = typeof customers.$inferSelect;

function toSummary(row: CustomerRow, viewer: Viewer): CustomerSummary {
  return {
    id: row.id,
    memberNo: String(row.memberNo),
    name: row.name,
    phone: viewer.fullPhone ? row.phone : maskPhone(row.phone),
    gender: row.gender,
    tags: row.tags,
  };
}

export function toProfile(row: CustomerRow, tenantName: string, viewer: Viewer): CustomerProfile {
  return {
    id: row.id,
    tenantId: row.tenantId,
    tenantName,
    memberNo: String(row.memberNo),
    name: row.name,
    phone: viewer.fullPhone ? row.phone : maskPhone(row.phone),
    gender: row.gender,
    birthday: row.birthday,
    tags: row.tags,
    source: row.source,
    marketingConsent: row.consents.marketing === true,
    memberSince: row.createdAt.toISOString(),
  };
}

export async function getCustomerProfile(
  db: Database,
  tenantId: string,
  customerId: string,
  viewer: Viewer = FULL_VIEW,
): Promise<CustomerProfile> {
  const row = await getCustomer(db, tenantId, customerId);
  const tenant = await getTenantById(db, tenantId);
  return toProfile(row, tenant.name, viewer);
}

/** Whether the salon's shop has anything on sale (the shop module answers; it depends on this one, not back). */
export type ShopOpen = (db: Database, tenantId: string) => Promise<boolean>;

/**
 * GET /me: her profile as the salon presents itself to her: its brand colour, the name customers see, and whether
 * its shop has anything on sale (the app's 商城 tab).
 */
export async function getMyProfile(
  db: Database,
  tenantId: string,
  customerId: string,
  shopOpen: ShopOpen,
): Promise<MyProfile> {
  const [profile, brand, open] = await Promise.all([
    getCustomerProfile(db, tenantId, customerId),
    brandSettings(db, tenantId),
    shopOpen(db, tenantId),
  ]);
  return { ...profile, tenantName: brand.name ?? profile.tenantName, brandColor: brand.color, shopOpen: open };
}

/** The live customer of the tenant with this phone, if any. */
export async function findCustomerByPhone(db: Database, tenantId: string, phone: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.phone, phone), live));
  return row;
}

/**
 * A customer the front desk registers (a walk-in, or someone new booked by phone). The phone is unique in the
 * tenant: a second registration answers 409 with the customer who has it, so the till can open her card instead.
 */
export async function registerCustomer(
  db: Database,
  tenantId: string,
  input: z.output<typeof RegisterCustomerSchema>,
  viewer: Viewer,
  at: Date,
): Promise<CustomerProfile> {
  const taken = async () => {
    const existing = await findCustomerByPhone(db, tenantId, input.phone);
    if (!existing) return undefined;
    return new AppError('CUSTOMER_PHONE_TAKEN', 'A customer with this phone already exists', {
      customer: toSummary(existing, viewer),
    });
  };
  const before = await taken();
  if (before) throw before;
  let row: CustomerRow | undefined;
  try {
    [row] = await db
      .insert(customers)
      .values({
        tenantId,
        phone: input.phone,
        name: input.name,
        gender: input.gender,
        birthday: input.birthday ?? null,
        source: input.source,
        consents: input.marketingConsent ? { marketing: true } : {},
        createdAt: at,
      })
      .returning();
  } catch (error) {
    const raced = sqlState(error) === UNIQUE_VIOLATION ? await taken() : undefined;
    throw raced ?? error;
  }
  if (!row) throw new Error('insert returned no row');
  const tenant = await getTenantById(db, tenantId);
  return toProfile(row, tenant.name, viewer);
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

// Member numbers are bigint: only digit strings that fit are compared with them.
const MEMBER_NO = /^\d{1,15}$/;

/** Newest customers first, keyset-paginated so deep pages cost the same as the first. */
export async function listCustomers(
  db: Database,
  tenantId: string,
  query: CustomerListQuery,
  viewer: Viewer = FULL_VIEW,
): Promise<CustomerList> {
  const conditions = [eq(customers.tenantId, tenantId), live];
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const match = or(
      ilike(customers.name, pattern),
      ilike(customers.phone, pattern),
      MEMBER_NO.test(query.q) ? eq(customers.memberNo, Number(query.q)) : undefined,
    );
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
  return {
    items: page.map((r) => toSummary(r, viewer)),
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
  };
}
