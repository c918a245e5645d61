import { randomUUID } from 'node:crypto';
import { createTenantFixture, type TenantFixture } from './fixtures.ts';
import { customerTokenFor, staffTokenFor, type TestApi } from './harness.ts';
import type { IdChooser } from './request-samples.ts';
import type { Caller, Resource } from './route-access.ts';
import { createVictimShop, setupCaller } from './victim-shop.ts';

/** The records of the victim tenant that requests name: one of each kind a route can address. */
export type VictimRecords = Record<Resource, string> & {
  cardId: string;
  groupId: string;
  couponId: string;
  orderLineId: string;
  pickupCode: string;
};

/**
 * Tenant A (the victim: its customer 0 owns records at store 2) and tenant B (the attacker's), with a token for
 * every principal the authorization tests play. A's owner also plays the legitimate staff caller, and A's
 * customer 0 the legitimate customer, so requests built from `victimIds` reach real records.
 */
export interface TwoTenants {
  a: TenantFixture;
  b: TenantFixture;
  victim: VictimRecords;
  tokens: {
    owner: string;
    customer: string;
    expired: string;
    tampered: string;
    customerOfOtherTenant: string;
    otherCustomerSameTenant: string;
    beautician: string;
    managerOfOtherTenant: string;
  };
  /** Ids for a request about the victim's records, by field name; `id` is what the route's `:id` names. */
  victimIds(id?: Resource): IdChooser;
  /** The token of the principal who may call a route that needs `caller` (A's owner for every staff route). */
  legitimateToken(caller: Caller): string | undefined;
}

export async function createTwoTenants(api: TestApi): Promise<TwoTenants> {
  const appId = api.config.WECHAT_CUSTOMER_APPID;
  const a = await createTenantFixture(api.db.db, appId);
  const b = await createTenantFixture(api.db.db, appId);
  const owner = staffTokenFor(api.app, a, 'owner');
  const ownerClaims = {
    kind: 'staff',
    sub: a.owner.id,
    tenantId: a.tenantId,
    role: 'owner',
    storeIds: a.storeIds,
  } as const;
  const victimCustomer = a.customers[0]!.id;
  const store = a.storeIds[1];

  const call = setupCaller(api.app, owner);
  const customerUrl = `/staff/customers/${victimCustomer}`;

  const topUp = await call('POST', `${customerUrl}/top-ups`, { storeId: store, amountFen: 100_000, method: 'cash' });
  await call('POST', `${customerUrl}/package-cards`, { storeId: store, planId: a.packagePlanId, method: 'cash' });
  const customer = customerTokenFor(api.app, a, 0);
  const shop = await createVictimShop(call, setupCaller(api.app, customer), store);
  // A member level, so an item's member price can name a real one of the salon's tiers.
  const tiers = await call('PUT', '/staff/segmentation/tiers', {
    basis: 'spend',
    windowDays: 365,
    levels: [{ name: '金卡', thresholdFen: 100_000, discountBasisPoints: 500, pointsMultiplierPercent: 150 }],
  });
  // Read after the last posting: reading a wallet moves its chain checkpoint on, which the matrix must not see.
  const wallet = await call('GET', `${customerUrl}/wallet`);
  const bill = await call('POST', '/staff/bills', {
    storeId: store,
    customerId: victimCustomer,
    lines: [{ type: 'service', serviceId: a.serviceId, quantity: 1, performerIds: [] }],
  });
  const group = await call('POST', '/staff/segmentation/groups', { name: '沉睡顾客', rules: { genders: ['female'] } });
  const coupon = await call('POST', `${customerUrl}/coupons`, {
    offer: { kind: 'amount_off', title: '回店礼', amountOffFen: 1_000, validDays: 30 },
    reason: '老顾客回馈',
  });
  const creditRequest = await call('POST', `${customerUrl}/credit-requests`, {
    requestedLimitFen: 50_000,
    reason: '常客申请挂账',
  });
  const task = await call('POST', `${customerUrl}/collection-tasks`, { dueDate: '2030-01-01', note: '电话提醒' });
  const victim: VictimRecords = {
    customer: victimCustomer,
    bill: bill.id,
    transfer: String(topUp.transferId),
    group: group.id,
    campaign: '',
    creditRequest: creditRequest.id,
    collectionTask: task.id,
    // Disputes and WeChat orders need a paid bill and the WeChat Pay simulator: these name no record, so the
    // matrix checks they answer "not found" without telling whose it would be.
    dispute: randomUUID(),
    approvalRequest: randomUUID(),
    payment: 'lumi_absent_order',
    cardId: wallet.packageCards[0].id,
    groupId: group.id,
    couponId: coupon.id,
    ...shop,
  };

  const byField: Record<string, string> = {
    customerId: victimCustomer,
    toCustomerId: a.customers[1]!.id,
    storeId: store,
    storeIds: store,
    serviceId: a.serviceId,
    planId: a.packagePlanId,
    cardId: victim.cardId,
    packageCardId: victim.cardId,
    groupId: victim.groupId,
    couponId: victim.couponId,
    staffId: a.owner.id,
    assigneeId: a.owner.id,
    performerIds: a.owner.id,
    categoryId: shop.shopCategory,
    itemId: shop.shopItem,
    pointsPriceItemIds: shop.shopItem,
    lineId: shop.orderLineId,
    tierId: tiers.levels[0].id,
    // Not an id: the pickup code a customer shows at the till (a code that does not fit a field is not used).
    code: shop.pickupCode,
  };
  const victimIds =
    (id?: Resource): IdChooser =>
    (field) =>
      field === 'id' && id ? victim[id] : byField[field];

  const campaign = await call('POST', '/staff/segmentation/campaigns', campaignBody(victim.groupId));
  victim.campaign = campaign.id;

  const expired = api.app.jwt.sign(ownerClaims, { expiresIn: -10 });
  return {
    a,
    b,
    victim,
    victimIds,
    legitimateToken: (caller) => ({ public: undefined, customer, staff: owner, manager: owner })[caller],
    tokens: {
      owner,
      customer,
      expired,
      tampered: `${owner.slice(0, -6)}AAAAAA`,
      customerOfOtherTenant: customerTokenFor(api.app, b, 0),
      otherCustomerSameTenant: customerTokenFor(api.app, a, 1),
      beautician: staffTokenFor(api.app, a, 'beautician'),
      managerOfOtherTenant: staffTokenFor(api.app, b, 'manager'),
    },
  };
}

const campaignBody = (groupId: string) => ({
  name: '三月唤醒',
  audience: { type: 'group', groupId },
  offer: { default: null, byCategory: [] },
  message: { banner: { title: '好久不见', body: '回来做个护理吧' } },
  channels: ['in_app'],
});
