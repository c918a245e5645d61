/** A store's team (the performers a bill line may name): only a store the caller works at, only active staff. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, customerTokenFor, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { staff, staffStores } from './tables.ts';

let api: TestApi;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  api = await createTestApi();
  a = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  b = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});

afterAll(async () => {
  await api?.close();
});

const team = (token: string, storeId: string) =>
  api.app.inject({ method: 'GET', url: `/staff/stores/${storeId}/team`, headers: bearer(token) });

describe('GET /staff/stores/:storeId/team', () => {
  it('lists the active staff of a store the caller works at, and not those of other stores', async () => {
    const res = await team(staffTokenFor(api.app, a), a.storeIds[0]);
    expect(res.statusCode).toBe(200);
    expect(res.json().storeId).toBe(a.storeIds[0]);
    const members = res.json().items as { id: string; role: string }[];
    expect(members.map((m) => m.id).sort()).toEqual([a.owner.id, a.manager.id, a.beautician.id].sort());
    expect(members.find((m) => m.id === a.beautician.id)).toMatchObject({ name: '美容师', role: 'beautician' });

    // Only the owner works at store 2.
    const second = await team(staffTokenFor(api.app, a, 'owner'), a.storeIds[1]);
    expect(second.statusCode).toBe(200);
    expect(second.json().items.map((m: { id: string }) => m.id)).toEqual([a.owner.id]);
  });

  it('leaves out staff who have left', async () => {
    const [left] = await api.db.db
      .insert(staff)
      .values({
        tenantId: a.tenantId,
        name: '已离职',
        phone: '16900000001',
        role: 'beautician',
        passwordHash: 'x',
        active: false,
      })
      .returning({ id: staff.id });
    await api.db.db.insert(staffStores).values({ tenantId: a.tenantId, staffId: left!.id, storeId: a.storeIds[0] });
    const res = await team(staffTokenFor(api.app, a), a.storeIds[0]);
    expect(res.json().items.map((m: { id: string }) => m.id)).not.toContain(left!.id);
    await api.db.db.update(staff).set({ active: true }).where(eq(staff.id, left!.id));
    const back = await team(staffTokenFor(api.app, a), a.storeIds[0]);
    expect(back.json().items.map((m: { id: string }) => m.id)).toContain(left!.id);
  });

  it("does not show a store the caller does not work at, nor another tenant's, and refuses customers", async () => {
    // Not found, as if there were no such store: a 403 would confirm that it exists.
    const notMine = await team(staffTokenFor(api.app, a), a.storeIds[1]);
    expect(notMine.statusCode).toBe(404);
    expect(notMine.json().error).toMatchObject({ code: 'NOT_FOUND', message: 'Store not found' });
    const otherTenant = await team(staffTokenFor(api.app, a, 'owner'), b.storeIds[0]);
    expect(otherTenant.statusCode).toBe(404);
    expect(otherTenant.json()).toEqual(notMine.json());
    const customer = await team(customerTokenFor(api.app, a), a.storeIds[0]);
    expect(customer.statusCode).toBe(403);
    const anonymous = await api.app.inject({ method: 'GET', url: `/staff/stores/${a.storeIds[0]}/team` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('checks the store before validating: an id that is not a uuid is simply not one of your stores', async () => {
    const res = await team(staffTokenFor(api.app, a), 'store-1');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'NOT_FOUND', message: 'Store not found' });
  });
});
