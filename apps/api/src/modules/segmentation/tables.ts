import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers } from '../customers/tables.ts';
import { tenants } from '../tenants/tables.ts';

// ── RFM ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** One computation of a tenant's RFM scores (nightly or on demand). */
export const rfmRuns = pgTable(
  'rfm_runs',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    asOf: timestamp({ withTimezone: true }).notNull(),
    windowDays: integer().notNull(),
    method: text().notNull(),
    customers: integer().notNull(),
    scored: integer().notNull(),
    transitions: integer().notNull(),
    /** Quintile cut values the run scored with: {r, f, m}, four each (see rfm.ts); null for thresholds. */
    cutoffs: jsonb(),
    durationMs: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('rfm_runs_tenant_idx').on(t.tenantId, t.id)],
);

/**
 * Each customer's current RFM values, scores and segment (one row per customer of the tenant). A run only
 * rewrites the rows whose values changed, so a quiet night touches few rows; recency is derived when read
 * (from last_paid_at), and when the scores were computed is the tenant's latest rfm_runs row.
 * Derived data, rebuilt from customers and the ledger on every run: no foreign keys to slow the first write
 * of a million rows. What a segment used to be lives in segment_transitions.
 */
export const rfmScores = pgTable(
  'rfm_scores',
  {
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    lastPaidAt: timestamp({ withTimezone: true }),
    firstPaidAt: timestamp({ withTimezone: true }),
    frequency: integer().notNull(),
    monetaryFen: bigint({ mode: 'number' }).notNull(),
    rScore: smallint(),
    fScore: smallint(),
    mScore: smallint(),
    segment: text().notNull(),
    segmentSince: timestamp({ withTimezone: true }).notNull(),
    /** The run that last changed this row. */
    runId: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.customerId] })],
);

/**
 * Every change of a customer's segment: with from_since (when the previous membership began) and the current
 * row's segment_since, a customer's whole membership history can be read back. A customer's first segment is
 * not a change and is not written here (it is rfm_scores.segment_since until it changes).
 */
export const segmentTransitions = pgTable(
  'segment_transitions',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    runId: bigint({ mode: 'number' }).notNull(),
    fromSegment: text().notNull(),
    fromSince: timestamp({ withTimezone: true }).notNull(),
    toSegment: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index('segment_transitions_tenant_at_idx').on(t.tenantId, t.at),
    index('segment_transitions_customer_idx').on(t.tenantId, t.customerId, t.id),
  ],
);

// ── tiers ───────────────────────────────────────────────────────────────────────────────────────────────────

/** One rung of a tenant's tier ladder (普通/银卡/金卡/钻石); retired rungs stay for history. */
export const tierLevels = pgTable(
  'tier_levels',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    thresholdFen: bigint({ mode: 'number' }).notNull(),
    /** Off the bill, in basis points: 500 = 5% off. */
    discountBasisPoints: integer().notNull(),
    /** 100 = ×1 points. */
    pointsMultiplierPercent: integer().notNull(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('tier_levels_tenant_id_id_key').on(t.tenantId, t.id),
    index('tier_levels_tenant_idx').on(t.tenantId, t.thresholdFen).where(sql`${t.active}`),
    check(
      'tier_levels_rates',
      sql`${t.thresholdFen} >= 0 and ${t.discountBasisPoints} between 0 and 5000 and ${t.pointsMultiplierPercent} between 100 and 1000`,
    ),
  ],
);

/** The tier a customer holds now (no row: no tier), with what qualified them. */
export const customerTiers = pgTable(
  'customer_tiers',
  {
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    tierId: uuid().notNull(),
    qualifyingFen: bigint({ mode: 'number' }).notNull(),
    since: timestamp({ withTimezone: true }).notNull(),
    evaluatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    foreignKey({ columns: [t.tenantId, t.tierId], foreignColumns: [tierLevels.tenantId, tierLevels.id] }),
  ],
);

/** Upgrades and downgrades; notify_pending marks the ones whose notification has not been handled yet. */
export const tierChanges = pgTable(
  'tier_changes',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    fromTierId: uuid(),
    toTierId: uuid(),
    direction: text().notNull(),
    qualifyingFen: bigint({ mode: 'number' }).notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    notifyPending: boolean().notNull().default(true),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    check('tier_changes_direction', sql`${t.direction} in ('up', 'down')`),
    index('tier_changes_customer_idx').on(t.tenantId, t.customerId, t.id),
    index('tier_changes_pending_idx').on(t.id).where(sql`${t.notifyPending}`),
  ],
);

// ── preferences (favourite items and categories, item co-occurrence) ────────────────────────────────────────

/** What each customer bought, per item name, from transfer details (rebuilt nightly per tenant). */
export const customerItemStats = pgTable(
  'customer_item_stats',
  {
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    itemName: text().notNull(),
    itemType: text().notNull(),
    category: text(),
    quantity: integer().notNull(),
    amountFen: bigint({ mode: 'number' }).notNull(),
    lastAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId, t.itemName] }),
    index('customer_item_stats_item_idx').on(t.tenantId, t.itemName),
  ],
);

export const customerPreferences = pgTable(
  'customer_preferences',
  {
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    preferredCategory: text().notNull(),
    computedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.customerId] }),
    index('customer_preferences_category_idx').on(t.tenantId, t.preferredCategory),
  ],
);

/** Of the customers who bought item_a, how many also bought item_b (for "customers who bought X took Y"). */
export const itemAffinities = pgTable(
  'item_affinities',
  {
    tenantId: uuid().notNull(),
    itemA: text().notNull(),
    itemB: text().notNull(),
    customersBoth: integer().notNull(),
    customersA: integer().notNull(),
    computedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.itemA, t.itemB] })],
);

// ── custom groups ───────────────────────────────────────────────────────────────────────────────────────────

/** A saved rule set (GroupRules); its members are evaluated live, never stored. */
export const customerGroups = pgTable(
  'customer_groups',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    description: text(),
    rules: jsonb().notNull(),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('customer_groups_tenant_id_id_key').on(t.tenantId, t.id),
    index('customer_groups_tenant_idx').on(t.tenantId),
  ],
);

// ── coupons ─────────────────────────────────────────────────────────────────────────────────────────────────

export const couponStatus = pgEnum('coupon_status', ['issued', 'reserved', 'redeemed', 'void']);

/** A coupon in one customer's wallet: single use, valid between valid_from and valid_to. */
export const coupons = pgTable(
  'coupons',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid().notNull(),
    customerId: uuid().notNull(),
    campaignId: uuid(),
    kind: text().notNull(),
    title: text().notNull(),
    description: text().notNull(),
    amountOffFen: bigint({ mode: 'number' }),
    percentOffBasisPoints: integer(),
    maxDiscountFen: bigint({ mode: 'number' }),
    addonName: text(),
    minSpendFen: bigint({ mode: 'number' }).notNull().default(0),
    validFrom: timestamp({ withTimezone: true }).notNull(),
    validTo: timestamp({ withTimezone: true }).notNull(),
    status: couponStatus().notNull().default('issued'),
    reservedAt: timestamp({ withTimezone: true }),
    redeemedAt: timestamp({ withTimezone: true }),
    redeemedReferenceType: text(),
    redeemedReferenceId: text(),
    issuedBy: uuid(),
    issueReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    check('coupons_kind', sql`${t.kind} in ('amount_off', 'percent_off', 'free_addon')`),
    check('coupons_validity', sql`${t.validFrom} < ${t.validTo}`),
    check('coupons_redeemed', sql`(${t.status} = 'redeemed') = (${t.redeemedAt} is not null)`),
    index('coupons_customer_idx').on(t.tenantId, t.customerId, t.status),
    uniqueIndex('coupons_campaign_customer_key').on(t.campaignId, t.customerId).where(sql`${t.campaignId} is not null`),
  ],
);

// ── campaigns ───────────────────────────────────────────────────────────────────────────────────────────────

export const campaignStatus = pgEnum('campaign_status', ['draft', 'scheduled', 'sending', 'completed', 'cancelled']);

/** A wake-up campaign (唤醒). The send job holds a lease (lease_until) so one worker sends it at a time. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    status: campaignStatus().notNull().default('draft'),
    audience: jsonb().notNull(),
    offer: jsonb().notNull(),
    message: jsonb().notNull(),
    channels: text().array().notNull(),
    scheduledAt: timestamp({ withTimezone: true }),
    quietHours: jsonb(),
    frequencyCap: jsonb(),
    holdoutBasisPoints: integer().notNull(),
    returnWindowDays: integer().notNull(),
    survey: jsonb(),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    audienceBuiltAt: timestamp({ withTimezone: true }),
    completedAt: timestamp({ withTimezone: true }),
    leaseToken: uuid(),
    leaseUntil: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('campaigns_tenant_id_id_key').on(t.tenantId, t.id),
    check('campaigns_holdout', sql`${t.holdoutBasisPoints} between 0 and 5000`),
    index('campaigns_due_idx').on(t.status, t.scheduledAt),
  ],
);

/** Who a campaign is for, fixed when it starts; holdout customers receive nothing. */
export const campaignRecipients = pgTable(
  'campaign_recipients',
  {
    tenantId: uuid().notNull(),
    campaignId: uuid().notNull(),
    customerId: uuid().notNull(),
    holdout: boolean().notNull(),
    preferredCategory: text(),
    /** pending until the send job has handled the customer. */
    status: text().notNull().default('pending'),
    couponId: uuid(),
    processedAt: timestamp({ withTimezone: true }),
    openedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.customerId] }),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaigns.tenantId, campaigns.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    check('campaign_recipients_status', sql`${t.status} in ('pending', 'done')`),
    index('campaign_recipients_pending_idx').on(t.campaignId, t.customerId).where(sql`${t.status} = 'pending'`),
    index('campaign_recipients_customer_idx').on(t.tenantId, t.customerId),
  ],
);

/** Survey answers and consultation requests customers send from a campaign's page. */
export const campaignFeedback = pgTable(
  'campaign_feedback',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid().notNull(),
    campaignId: uuid().notNull(),
    customerId: uuid().notNull(),
    type: text().notNull(),
    answers: jsonb(),
    message: text(),
    preferredContact: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaigns.tenantId, campaigns.id] }),
    foreignKey({ columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
    check('campaign_feedback_type', sql`${t.type} in ('survey', 'consultation')`),
    index('campaign_feedback_campaign_idx').on(t.campaignId, t.id),
  ],
);
