import { StaffCatalogSchema } from '@lumi/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { tenants } from '../tenants/tables.ts';
import { products, services } from './tables.ts';

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  api = await createTestApi();
  a = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  b = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  await api.db.db.insert(products).values([
    { tenantId: a.tenantId, name: '玻尿酸保湿精华', category: '护肤品', priceFen: 36_800, stock: 12 },
    { tenantId: a.tenantId, name: '停售的面霜', category: '护肤品', priceFen: 9_900, stock: 3, active: false },
  ]);
  await api.db.db
    .insert(services)
    .values({ tenantId: b.tenantId, name: '别家的项目', category: '面部护理', priceFen: 1 });
  await api.db.db
    .update(tenants)
    .set({ settings: { ledger: { pointValueFen: 5 } } })
    .where(eq(tenants.id, a.tenantId));
});

afterAll(async () => {
  await api?.close();
});

describe('GET /staff/catalog', () => {
  it("lists the tenant's active services and products with the value of a point", async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/staff/catalog',
      headers: bearer(staffTokenFor(api.app, a)),
    });
    expect(res.statusCode).toBe(200);
    const body = StaffCatalogSchema.parse(res.json());
    expect(body.services).toEqual([
      { id: a.serviceId, name: '深层补水护理', category: '面部护理', priceFen: 38_800, durationMinutes: 60 },
    ]);
    expect(body.products).toEqual([expect.objectContaining({ name: '玻尿酸保湿精华', priceFen: 36_800, stock: 12 })]);
    expect(body.packagePlans).toEqual([
      {
        id: a.packagePlanId,
        name: '补水护理10次卡',
        serviceId: a.serviceId,
        sessions: 10,
        priceFen: 100_000,
        validDays: 365,
      },
    ]);
    expect(body.pointValueFen).toBe(5);
  });

  it('uses the default point value when the tenant set none, and shows no other tenant', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/staff/catalog',
      headers: bearer(staffTokenFor(api.app, b)),
    });
    const body = StaffCatalogSchema.parse(res.json());
    expect(body.services.map((s) => s.name).sort()).toEqual(['别家的项目', '深层补水护理']);
    expect(body.products).toEqual([]);
    expect(body.pointValueFen).toBe(1);
  });

  it('is for staff only', async () => {
    const res = await api.app.inject({
      method: 'GET',
      url: '/staff/catalog',
      headers: bearer(customerTokenFor(api.app, a)),
    });
    expect(res.statusCode).toBe(403);
  });
});
