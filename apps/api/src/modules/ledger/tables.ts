import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tables.ts';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

export const normalSide = pgEnum('normal_side', ['debit', 'credit']);
export const accountOwner = pgEnum('account_owner', ['customer', 'store', 'tenant']);

/**
 * Every account a tenant's money, points or sessions can sit in. Amounts are signed: debit positive, credit
 * negative, so the entries of a transfer sum to zero per unit. Customer accounts are "materialised": they keep
 * balance, version and the head of their hash chain, updated in the same statement as their entries. House
 * accounts (cash, revenue, clearing …) are append-only on the hot path and their balances are sums of entries,
 * because updating one shared row in every posting serialises all checkouts on it.
 */
export const accounts = pgTable(
  'accounts',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    owner: accountOwner().notNull(),
    customerId: uuid(),
    storeId: uuid(),
    /** Chart-of-accounts code, e.g. stored_principal, cash, service_revenue (see docs/ledger.md). */
    kind: text().notNull(),
    /** CNY (fen), POINTS, or SESSIONS:<serviceId>. */
    unit: text().notNull(),
    normalSide: normalSide().notNull(),
    /** Set for package-card session accounts: one account per card. */
    packageCardId: uuid(),
    materialized: boolean().notNull(),
    /** Refuse postings that would take the balance past zero on the wrong side. */
    noOverdraw: boolean().notNull(),
    balance: bigint({ mode: 'number' }).notNull().default(0),
    /** Value reserved by active holds (a bill waiting for the customer); spends may not touch it. */
    held: bigint({ mode: 'number' }).notNull().default(0),
    version: bigint({ mode: 'number' }).notNull().default(0),
    headHash: bytea(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'accounts_no_overdraw',
      sql`not ${t.noOverdraw} or (${t.normalSide} = 'credit' and ${t.balance} <= 0) or (${t.normalSide} = 'debit' and ${t.balance} >= 0)`,
    ),
    check('accounts_house_not_materialized', sql`${t.materialized} = (${t.owner} = 'customer')`),
    check('accounts_customer_owner', sql`(${t.owner} = 'customer') = (${t.customerId} is not null)`),
    check(
      'accounts_house_balance',
      sql`${t.materialized} or (${t.balance} = 0 and ${t.version} = 0 and ${t.held} = 0)`,
    ),
    check('accounts_held', sql`${t.held} >= 0`),
    uniqueIndex('accounts_customer_kind_key')
      .on(t.tenantId, t.customerId, t.kind, t.unit)
      .where(sql`${t.owner} = 'customer' and ${t.packageCardId} is null`),
    uniqueIndex('accounts_package_card_key').on(t.packageCardId).where(sql`${t.packageCardId} is not null`),
    uniqueIndex('accounts_house_kind_key')
      .on(t.tenantId, sql`coalesce(${t.storeId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.kind, t.unit)
      .where(sql`${t.owner} <> 'customer'`),
    index('accounts_customer_idx').on(t.tenantId, t.customerId),
  ],
);

/** One business event. Immutable: corrections are new transfers that reference this one in reverses_id. */
/**
 * Every Idempotency-Key a tenant's money-moving requests have used, whatever the operation: a key belongs to one
 * tenant, one operation and one request (its hash) for good. Operations claim their key here inside their own
 * transaction (claimIdempotencyKey, ledger/idempotency-keys.ts); every inserted transfer claims its key through
 * a trigger as operation 'ledger' (drizzle/0020_idempotency_keys.sql). The primary key decides between
 * requests that arrive together, so a key can never do two things.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: uuid().notNull(),
    key: text().notNull(),
    /** Which operation owns the key: 'ledger' (any transfer), 'checkout.settle', 'payments.order', … */
    operation: text().notNull(),
    requestHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

export const transfers = pgTable(
  'transfers',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    kind: text().notNull(),
    idempotencyKey: text().notNull(),
    /** sha256 of the canonical request; a replay with another body is refused. */
    requestHash: text().notNull(),
    storeId: uuid(),
    staffId: uuid(),
    customerId: uuid(),
    reversesId: bigint({ mode: 'number' }),
    referenceType: text(),
    referenceId: text(),
    memo: text(),
    /** What the customer sees about the event: line items, the principal/bonus split, reasons. */
    details: jsonb().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('transfers_idempotency_key').on(t.tenantId, t.idempotencyKey),
    uniqueIndex('transfers_reverses_key').on(t.reversesId).where(sql`${t.reversesId} is not null`),
    foreignKey({ columns: [t.reversesId], foreignColumns: [t.id] }),
    index('transfers_reference_idx').on(t.tenantId, t.referenceType, t.referenceId),
    index('transfers_customer_idx').on(t.tenantId, t.customerId, t.id),
    // How often each 充值方案 was used (top-up-plans usageOf) without reading the tenant's whole history.
    index('transfers_top_up_plan_idx')
      .on(t.tenantId, sql`(${t.details}->'plan'->>'id')`)
      .where(sql`${t.kind} = 'top_up' and ${t.details}->'plan'->>'id' is not null`),
  ],
);

export const entries = pgTable(
  'entries',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    transferId: bigint({ mode: 'number' })
      .notNull()
      .references(() => transfers.id),
    accountId: bigint({ mode: 'number' })
      .notNull()
      .references(() => accounts.id),
    tenantId: uuid().notNull(),
    /** Copied from the account so a customer's history is one index range scan. */
    customerId: uuid(),
    unit: text().notNull(),
    amount: bigint({ mode: 'number' }).notNull(),
    /** Materialised accounts only: the balance and version right after this entry, and the chain hash. */
    balanceAfter: bigint({ mode: 'number' }),
    accountVersion: bigint({ mode: 'number' }),
    hash: bytea(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('entries_amount_nonzero', sql`${t.amount} <> 0`),
    unique('entries_account_version_key').on(t.accountId, t.accountVersion),
    index('entries_transfer_idx').on(t.transferId),
    index('entries_customer_idx').on(t.customerId, t.id).where(sql`${t.customerId} is not null`),
    index('entries_account_idx').on(t.accountId, t.id),
  ],
);

/**
 * The customer's balances right after a transfer, written by ledger_post in the posting's transaction: a
 * replayed request answers with the wallet its first answer showed, not with the wallet as it is now.
 */
export const transferWallets = pgTable('transfer_wallets', {
  transferId: bigint({ mode: 'number' })
    .primaryKey()
    .references(() => transfers.id),
  /** Account id → balance (signed, as on accounts) of every account the customer had. */
  balances: jsonb().notNull(),
});

/** A package card (次卡) sold to a customer; its sessions live in its own SESSIONS account. */
export const packageCards = pgTable(
  'package_cards',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    serviceId: uuid().notNull(),
    planId: uuid(),
    name: text().notNull(),
    sessionsTotal: integer().notNull(),
    priceFen: bigint({ mode: 'number' }).notNull(),
    /** Revenue recognised per session consumed, fixed at sale; the last session takes the remainder. */
    valuePerSessionFen: bigint({ mode: 'number' }).notNull(),
    expiresOn: date({ mode: 'string' }).notNull(),
    soldTransferId: bigint({ mode: 'number' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('package_cards_customer_idx').on(t.tenantId, t.customerId),
    index('package_cards_expiry_idx').on(t.expiresOn),
  ],
);

/** Points earned in one transfer and what is left of them; redemptions and expiry use the earliest-expiring first. */
export const pointsLots = pgTable(
  'points_lots',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    earnedTransferId: bigint({ mode: 'number' }).notNull(),
    points: bigint({ mode: 'number' }).notNull(),
    remaining: bigint({ mode: 'number' }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    check('points_lots_remaining', sql`${t.remaining} >= 0 and ${t.remaining} <= ${t.points}`),
    index('points_lots_customer_idx').on(t.tenantId, t.customerId, t.expiresAt).where(sql`${t.remaining} > 0`),
  ],
);

/** Top-up offers: pay `payFen`, receive `bonusFen` extra (充1000送200), optionally points or a package card. */
export const topUpPlans = pgTable(
  'top_up_plans',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    name: text().notNull(),
    payFen: bigint({ mode: 'number' }).notNull(),
    bonusFen: bigint({ mode: 'number' }).notNull().default(0),
    bonusPoints: bigint({ mode: 'number' }).notNull().default(0),
    giftPackagePlanId: uuid(),
    validFrom: timestamp({ withTimezone: true }),
    validTo: timestamp({ withTimezone: true }),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('top_up_plans_amounts', sql`${t.payFen} > 0 and ${t.bonusFen} >= 0 and ${t.bonusPoints} >= 0`),
    index('top_up_plans_tenant_idx').on(t.tenantId),
  ],
);

/**
 * How far each customer account's hash chain was last verified, so showing a wallet only re-hashes entries
 * written since. The nightly full verify re-walks every chain from the start regardless of this table.
 */
export const chainCheckpoints = pgTable('chain_checkpoints', {
  accountId: bigint({ mode: 'number' })
    .primaryKey()
    .references(() => accounts.id),
  version: bigint({ mode: 'number' }).notNull(),
  hash: bytea().notNull(),
  verifiedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const holdStatus = pgEnum('hold_status', ['active', 'captured', 'released']);

/**
 * Value set aside on a customer account for something that will settle later — a bill waiting for the
 * customer's confirmation or their WeChat payment. A hold lowers what can be spent (accounts.held) without
 * moving money; it is captured by the posting that settles it or released when it expires.
 */
export const holds = pgTable(
  'holds',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    accountId: bigint({ mode: 'number' })
      .notNull()
      .references(() => accounts.id),
    /** In the customer's direction: fen, points or sessions set aside. */
    amount: bigint({ mode: 'number' }).notNull(),
    referenceType: text().notNull(),
    referenceId: text().notNull(),
    status: holdStatus().notNull().default('active'),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check('holds_amount', sql`${t.amount} > 0`),
    index('holds_reference_idx').on(t.tenantId, t.referenceType, t.referenceId),
    index('holds_active_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'active'`),
  ],
);
