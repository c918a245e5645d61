import {
  type FrequencyCap,
  type Group,
  type GroupPreview,
  type GroupRequest,
  type GroupRules,
  GroupRulesSchema,
  type SegmentCode,
  type SegmentMember,
  type SegmentMemberPage,
} from '@lumi/shared';
import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { type Database, queryRows, uuidArray } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { textArray } from './spend.ts';
import { atFrequencyCap } from './frequency-cap.ts';
import { customerGroups } from './tables.ts';

/**
 * Custom groups (自定义分组): a validated GroupRules object becomes a WHERE clause over the tenant's customers,
 * their current RFM row, tier and favourite category. Every value is a bound parameter (arrays are bound as one
 * array literal built from values the schema has already checked); nothing from the request is ever spliced
 * into SQL text. Groups are evaluated live: saving one stores its rules, never its members.
 *
 * Spend, visits, last visit and segment come from the latest RFM run (nightly or on demand); age and birthday
 * month are counted on today's Shanghai date.
 */

const intArray = (values: readonly number[]) => sql`${`{${values.map((v) => Math.trunc(v)).join(',')}}`}::int[]`;

/** The FROM clause every group query shares: live customer c (not merged into another), RFM row s, tier ct. */
export function groupFrom(tenantId: string): SQL {
  return sql`customers c
    left join rfm_scores s on s.tenant_id = c.tenant_id and s.customer_id = c.id
    left join customer_tiers ct on ct.tenant_id = c.tenant_id and ct.customer_id = c.id
    where c.tenant_id = ${tenantId} and c.merged_into_id is null`;
}

function range(expr: SQL, r: { min?: number | undefined; max?: number | undefined }): SQL[] {
  const out: SQL[] = [];
  if (r.min !== undefined) out.push(sql`${expr} >= ${r.min}`);
  if (r.max !== undefined) out.push(sql`${expr} <= ${r.max}`);
  return out;
}

/** The conditions of a rule set, ANDed (an empty rule set matches every customer of the tenant). */
export function groupCondition(input: GroupRules, now: Date): SQL {
  const rules = GroupRulesSchema.parse(input);
  const today = sql`(${now.toISOString()}::timestamptz at time zone 'Asia/Shanghai')::date`;
  const parts: SQL[] = [];
  if (rules.age) {
    parts.push(sql`c.birthday is not null`);
    parts.push(...range(sql`extract(year from age(${today}, c.birthday))::int`, rules.age));
  }
  if (rules.genders) parts.push(sql`c.gender::text = any(${textArray(rules.genders)})`);
  if (rules.birthdayMonths) {
    parts.push(sql`extract(month from c.birthday)::int = any(${intArray(rules.birthdayMonths)})`);
  }
  if (rules.tagsAny) parts.push(sql`c.tags && ${textArray(rules.tagsAny)}`);
  if (rules.tagsAll) parts.push(sql`c.tags @> ${textArray(rules.tagsAll)}`);
  if (rules.preferredCategories) {
    parts.push(sql`exists (select 1 from customer_preferences p
      where p.tenant_id = c.tenant_id and p.customer_id = c.id and p.preferred_category = any(${textArray(rules.preferredCategories)}))`);
  }
  if (rules.spendFen) parts.push(...range(sql`coalesce(s.monetary_fen, 0)`, rules.spendFen));
  if (rules.visits) parts.push(...range(sql`coalesce(s.frequency, 0)`, rules.visits));
  if (rules.lastVisitDaysAgo) {
    parts.push(sql`s.last_paid_at is not null`);
    parts.push(...range(sql`(${today} - (s.last_paid_at at time zone 'Asia/Shanghai')::date)`, rules.lastVisitDaysAgo));
  }
  if (rules.neverVisited !== undefined) {
    parts.push(rules.neverVisited ? sql`s.last_paid_at is null` : sql`s.last_paid_at is not null`);
  }
  if (rules.storeIds) parts.push(sql`c.home_store_id = any(${uuidArray(rules.storeIds)})`);
  if (rules.segments) parts.push(sql`s.segment = any(${textArray(rules.segments)})`);
  if (rules.tierIds) {
    const ids = rules.tierIds.filter((id): id is string => id !== null);
    const alternatives: SQL[] = [];
    if (ids.length > 0) alternatives.push(sql`ct.tier_id = any(${uuidArray(ids)})`);
    if (rules.tierIds.includes(null)) alternatives.push(sql`ct.tier_id is null`);
    parts.push(sql`(${sql.join(alternatives, sql` or `)})`);
  }
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` and `);
}

interface MemberRow {
  customer_id: string;
  name: string | null;
  phone: string | null;
  segment: SegmentCode | null;
  recency_days: number | null;
  frequency: number | null;
  monetary_fen: number | null;
}

export const memberColumns = (now: Date) => sql`c.id as customer_id, c.name, c.phone, s.segment,
  ((${now.toISOString()}::timestamptz at time zone 'Asia/Shanghai')::date - (s.last_paid_at at time zone 'Asia/Shanghai')::date) as recency_days,
  s.frequency, s.monetary_fen`;

export function toMember(r: MemberRow): SegmentMember {
  return {
    customerId: r.customer_id,
    name: r.name,
    phone: r.phone,
    segment: r.segment,
    recencyDays: r.recency_days === null ? null : Number(r.recency_days),
    frequency: Number(r.frequency ?? 0),
    monetaryFen: Number(r.monetary_fen ?? 0),
  };
}

/** How many customers match `where`, with the 20 who spent most. */
async function countAndSample(db: Database, tenantId: string, where: SQL, now: Date) {
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ${groupFrom(tenantId)} and ${where}`,
  );
  const sample = await queryRows<MemberRow>(
    db,
    sql`select ${memberColumns(now)} from ${groupFrom(tenantId)} and ${where}
        order by coalesce(s.monetary_fen, 0) desc, c.id limit 20`,
  );
  return { count: Number(count?.n ?? 0), sample: sample.map(toMember) };
}

/**
 * The live count of a rule set with a sample; with a campaign's frequency cap, also the matching customers who
 * have reached it now — a campaign started now would send them nothing (send.ts asks the same question).
 */
export async function previewGroup(
  db: Database,
  tenantId: string,
  rules: GroupRules,
  now: Date,
  frequencyCap?: FrequencyCap,
): Promise<GroupPreview> {
  const where = groupCondition(rules, now);
  const preview: GroupPreview = await countAndSample(db, tenantId, where, now);
  if (frequencyCap) {
    const capped = atFrequencyCap(tenantId, sql`c.id`, frequencyCap, now);
    preview.capped = await countAndSample(db, tenantId, sql`${where} and ${capped}`, now);
  }
  return preview;
}

/** Members in customer-id order, keyset-paginated. */
export async function listMembers(
  db: Database,
  tenantId: string,
  where: SQL,
  now: Date,
  page: { limit: number; cursor?: string | undefined },
): Promise<SegmentMemberPage> {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (page.cursor && !UUID.test(page.cursor)) {
    throw new AppError('VALIDATION_FAILED', 'The cursor is malformed', [
      { field: 'querystring.cursor', message: 'invalid' },
    ]);
  }
  const rows = await queryRows<MemberRow>(
    db,
    sql`select ${memberColumns(now)} from ${groupFrom(tenantId)} and ${where}
        ${page.cursor ? sql`and c.id > ${page.cursor}::uuid` : sql``}
        order by c.id limit ${page.limit + 1}`,
  );
  const items = rows.slice(0, page.limit).map(toMember);
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.customerId ?? null) : null };
}

function toGroup(row: typeof customerGroups.$inferSelect): Group {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    rules: GroupRulesSchema.parse(row.rules),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getGroup(db: Database, tenantId: string, groupId: string): Promise<Group> {
  const [row] = await db
    .select()
    .from(customerGroups)
    .where(
      and(eq(customerGroups.tenantId, tenantId), eq(customerGroups.id, groupId), isNull(customerGroups.archivedAt)),
    );
  if (!row) throw new AppError('GROUP_NOT_FOUND', 'Group not found');
  return toGroup(row);
}

export async function listGroups(db: Database, tenantId: string): Promise<Group[]> {
  const rows = await db
    .select()
    .from(customerGroups)
    .where(and(eq(customerGroups.tenantId, tenantId), isNull(customerGroups.archivedAt)))
    .orderBy(desc(customerGroups.createdAt))
    .limit(200);
  return rows.map(toGroup);
}

export async function createGroup(db: Database, tenantId: string, staffId: string, body: GroupRequest): Promise<Group> {
  const [row] = await db
    .insert(customerGroups)
    .values({ tenantId, name: body.name, description: body.description ?? null, rules: body.rules, createdBy: staffId })
    .returning();
  if (!row) throw new Error('group insert returned nothing');
  await auditSaved(db, tenantId, staffId, row.id, null, body);
  return toGroup(row);
}

/** A saved rule set decides who campaigns reach, so every save is audited with the rules before and after. */
function auditSaved(
  db: Database,
  tenantId: string,
  staffId: string,
  groupId: string,
  before: Group | null,
  after: GroupRequest,
) {
  return recordAudit(db, {
    tenantId,
    actor: { staffId },
    action: 'segmentation.group_saved',
    subject: { type: 'customer_group', id: groupId },
    ...(before ? { before: { name: before.name, description: before.description, rules: before.rules } } : {}),
    after,
  });
}

export async function updateGroup(
  db: Database,
  tenantId: string,
  staffId: string,
  groupId: string,
  body: GroupRequest,
): Promise<Group> {
  const before = await getGroup(db, tenantId, groupId);
  const [row] = await db
    .update(customerGroups)
    .set({ name: body.name, description: body.description ?? null, rules: body.rules, updatedAt: new Date() })
    .where(
      and(eq(customerGroups.tenantId, tenantId), eq(customerGroups.id, groupId), isNull(customerGroups.archivedAt)),
    )
    .returning();
  if (!row) throw new AppError('GROUP_NOT_FOUND', 'Group not found');
  await auditSaved(db, tenantId, staffId, groupId, before, body);
  return toGroup(row);
}

/** Archives a group (campaigns that used it keep their fixed audience). */
export async function archiveGroup(db: Database, tenantId: string, staffId: string, groupId: string): Promise<void> {
  const [row] = await db
    .update(customerGroups)
    .set({ archivedAt: new Date() })
    .where(
      and(eq(customerGroups.tenantId, tenantId), eq(customerGroups.id, groupId), isNull(customerGroups.archivedAt)),
    )
    .returning({ id: customerGroups.id });
  if (!row) throw new AppError('GROUP_NOT_FOUND', 'Group not found');
  await recordAudit(db, {
    tenantId,
    actor: { staffId },
    action: 'segmentation.group_archived',
    subject: { type: 'customer_group', id: groupId },
  });
}
