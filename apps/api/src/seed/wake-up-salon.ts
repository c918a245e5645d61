import { createHash } from 'node:crypto';
import type { Bill } from '@lumi/shared';
import { eq } from 'drizzle-orm';
import type { AppConfig } from '../config/index.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { services } from '../modules/catalog/index.ts';
import { commissionRules } from '../modules/checkout/index.ts';
import { customerIdentities, customers } from '../modules/customers/index.ts';
import { HouseAccounts, importingHistory, provisionHouseAccounts } from '../modules/ledger/index.ts';
import { hashPassword } from '../modules/auth/index.ts';
import { isHoldout } from '../modules/segmentation/index.ts';
import { staff, staffStores } from '../modules/staff/index.ts';
import { stores, tenants } from '../modules/tenants/index.ts';
import { DAY_MS, shanghaiMidnight } from './demo-clock.ts';
import { DEMO } from './demo-data.ts';
import { DemoTill, type DemoStaff } from './demo-till.ts';

/** A fixed uuid per name, so the holdout draw below is the same on every run. */
function fixedId(name: string): string {
  const hex = createHash('sha256').update(`lumi-wake-up-${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const DORMANT = ['苏婉清', '何雨萱', '郭静怡', '罗思琪', '梁欣怡', '宋佳怡', '唐诗涵', '韩梦瑶'];
const REGULAR = ['许一诺', '邓可馨', '冯若曦', '曹晓彤'];

/**
 * 晨曦美容, a small salon of its own for the wake-up campaign's end-to-end test (apps/e2e/src/campaign.test.ts):
 * eight customers who came once, ten months ago, for a ¥198 清洁 (沉睡 by the salon's RFM thresholds) and four
 * who come every few weeks (潜力). Customer ids and the holdout salt are fixed, so which of the eight a campaign
 * holds out at a given share is known before it is sent (`heldOut`).
 */
export const WAKE_UP_SALON = {
  tenant: { slug: 'wake-up', name: '晨曦美容' },
  store: { name: '晨曦美容·三里屯店', code: 'W01', address: '北京市朝阳区三里屯路19号' },
  manager: { name: '周店长', phone: '13700000002' },
  beautician: { name: '吴佳', phone: '13700000003' },
  password: DEMO.password,
  services: [
    { name: '小气泡清洁', category: '面部护理', priceFen: 19_800, durationMinutes: 40 },
    { name: '水光焕颜护理', category: '面部护理', priceFen: 38_800, durationMinutes: 60 },
  ],
  dormant: DORMANT.map((name, i) => ({ id: fixedId(name), name, openid: `wake-up-customer-${i + 1}` })),
  regular: REGULAR.map((name, i) => ({ id: fixedId(name), name, openid: `wake-up-regular-${i + 1}` })),
  /** The campaign sender's salt instead of the campaign id (SegmentationDeps.holdoutSalt). */
  holdoutSalt: 'lumi-wake-up-e2e',
  /** R in days, F in visits, M in fen: ≤ 240 days, ≥ 2 visits or ≥ ¥300 lifts a score above 1. */
  rfm: {
    method: 'thresholds',
    thresholds: {
      recencyDays: [30, 60, 120, 240],
      frequency: [2, 3, 5, 8],
      monetaryFen: [30_000, 60_000, 120_000, 240_000],
    },
  },
} as const;

/** The dormant customers a campaign with this holdout share holds out, as the send job will draw them. */
export function heldOut(holdoutBasisPoints: number): string[] {
  return WAKE_UP_SALON.dormant
    .filter((c) => isHoldout(WAKE_UP_SALON.holdoutSalt, c.id, holdoutBasisPoints))
    .map((c) => c.name);
}

/**
 * Seeds 晨曦美容 once (a second run leaves it as it is): the setup is written here, every visit goes through the
 * API's own checkout with the clock moved to its day, then the manager sets the RFM thresholds and recomputes.
 */
export async function seedWakeUpSalon(database: DatabaseHandle, config: AppConfig): Promise<void> {
  const { db } = database;
  const salon = WAKE_UP_SALON;
  const [existing] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, salon.tenant.slug));
  if (existing) return;
  const now = Date.now();
  const passwordHash = await hashPassword(salon.password);
  const setup = await db.transaction(async (tx) => {
    const [tenant] = await tx.insert(tenants).values(salon.tenant).returning({ id: tenants.id });
    if (!tenant) throw new Error('tenant insert returned nothing');
    const [store] = await tx
      .insert(stores)
      .values({ ...salon.store, tenantId: tenant.id })
      .returning({ id: stores.id });
    if (!store) throw new Error('store insert returned nothing');
    const members: DemoStaff[] = [];
    for (const [member, role] of [
      [salon.manager, 'manager'],
      [salon.beautician, 'beautician'],
    ] as const) {
      const [row] = await tx
        .insert(staff)
        .values({ tenantId: tenant.id, name: member.name, phone: member.phone, role, passwordHash })
        .returning({ id: staff.id });
      if (!row) throw new Error('staff insert returned nothing');
      await tx.insert(staffStores).values({ tenantId: tenant.id, staffId: row.id, storeId: store.id });
      members.push({ id: row.id, role, storeIds: [store.id] });
    }
    const people = [...salon.dormant, ...salon.regular];
    await tx.insert(customers).values(
      people.map((c, i) => ({
        id: c.id,
        tenantId: tenant.id,
        name: c.name,
        phone: `1360000${String(i + 1).padStart(4, '0')}`,
        gender: 'female' as const,
        tags: [],
        consents: { marketing: true, sms: true },
        homeStoreId: store.id,
        createdAt: new Date(now - 400 * DAY_MS),
      })),
    );
    await tx.insert(customerIdentities).values(
      people.map((c) => ({
        tenantId: tenant.id,
        customerId: c.id,
        appId: config.WECHAT_CUSTOMER_APPID,
        openid: c.openid,
      })),
    );
    const serviceRows = await tx
      .insert(services)
      .values(salon.services.map((s) => ({ ...s, tenantId: tenant.id })))
      .returning({ id: services.id });
    await tx.insert(commissionRules).values(DEMO.commissionRules.map((r) => ({ ...r, tenantId: tenant.id })));
    await provisionHouseAccounts(tx, new HouseAccounts(), tenant.id, [store.id]);
    const [manager, beautician] = members as [DemoStaff, DemoStaff];
    return { tenantId: tenant.id, storeId: store.id, manager, beautician, serviceIds: serviceRows.map((s) => s.id) };
  });

  const clock = { at: new Date(now) };
  const till = await DemoTill.open(config, database, setup.tenantId, clock);
  try {
    const desk = till.as(setup.beautician);
    /** A cash bill for one service, `daysAgo` days back at 14:00 Shanghai. */
    const visit = async (customerId: string, service: number, daysAgo: number) => {
      till.now = new Date(shanghaiMidnight(now) - daysAgo * DAY_MS + 14 * 3_600_000);
      const bill = await desk.post<Bill>('/staff/bills', {
        storeId: setup.storeId,
        customerId,
        lines: [{ type: 'service', serviceId: setup.serviceIds[service], performerIds: [setup.beautician.id] }],
      });
      await desk.post(`/staff/bills/${bill.id}/settlement`, {
        tenders: [{ method: 'cash', amountFen: bill.totalFen }],
      });
    };
    // Every posting carries the moved clock as its business time (importing history), as in the demo seed.
    await importingHistory(
      () => clock.at,
      async () => {
        for (const [i, c] of salon.dormant.entries()) await visit(c.id, 0, 290 + i);
        for (const [i, c] of salon.regular.entries()) {
          for (const daysAgo of [60 + i, 30 + i, 5 + i]) await visit(c.id, 1, daysAgo);
        }
      },
    );
    till.now = new Date();
    const manager = till.as(setup.manager);
    await manager.patch('/staff/segmentation/settings/rfm', salon.rfm);
    await manager.post('/staff/segmentation/recompute', {});
  } finally {
    await till.close();
  }
}
