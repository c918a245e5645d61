import type { CustomerProfile, MemberCode, TopUpPlan } from '@lumi/shared';
import { bindPhone, customerIdentities, customers } from '../modules/customers/index.ts';
import { absorbSignUp } from '../modules/merging/index.ts';
import type { Salon } from './demo-salon.ts';

/** The walk-in of the merge story: registered at the desk, later in the mini-program with the same number. */
export const MERGED_WALK_IN = { phone: '13900009902', name: '许女士', openid: 'demo-merge-sign-up' };

/**
 * 账户合并, as it happens at a salon: 许女士 walked in this morning and was registered at the desk, where she topped
 * up. Waiting for her treatment she opened the mini-program on her phone — a new WeChat sign-up, not yet knowing
 * her number — showed its member code, and the beautician, scanning it, sold the trial card to that sign-up. Then
 * she shared her phone number in the app (getPhoneNumber): the two became one customer, the desk's — the card
 * re-issued to her, both in her history as 账户合并 — so the front desk's card and history show a merge.
 *
 * The seed has no WeChat: the sign-up is written as the mini-program's login writes it (a customer row and her
 * WeChat identity), and the phone binding runs the real service with the real merge, minus WeChat's code exchange.
 */
export async function mergeWalkInWithSignUp(salon: Salon): Promise<void> {
  const store = salon.stores[0];
  if (!store) return;
  const desk = salon.till.as(store.beautician);
  const walkIn = await desk.post<CustomerProfile>('/staff/customers', {
    phone: MERGED_WALK_IN.phone,
    name: MERGED_WALK_IN.name,
    gender: 'female',
    source: 'walk_in',
    marketingConsent: false,
  });
  const [offer] = [...(await desk.get<TopUpPlan[]>('/staff/top-up-plans'))].sort((a, b) => a.payFen - b.payFen);
  if (offer) {
    await desk.post(`/staff/customers/${walkIn.id}/top-ups`, {
      storeId: store.id,
      amountFen: offer.payFen,
      method: 'cash',
      planId: offer.id,
    });
  }

  const [signUp] = await salon.db
    .insert(customers)
    .values({ tenantId: salon.tenantId, createdAt: salon.till.now })
    .returning({ id: customers.id });
  if (!signUp) throw new Error('sign-up insert returned nothing');
  await salon.db.insert(customerIdentities).values({
    tenantId: salon.tenantId,
    customerId: signUp.id,
    appId: salon.till.config.WECHAT_CUSTOMER_APPID,
    openid: MERGED_WALK_IN.openid,
  });
  const { code } = await salon.till.asCustomer(signUp.id).post<MemberCode>('/me/member-code');
  const scanned = await desk.post<CustomerProfile>('/staff/customers/member-code', { code });
  const trialCard = salon.packagePlanIds.at(-1);
  if (trialCard) {
    await desk.post(`/staff/customers/${scanned.id}/package-cards`, {
      storeId: store.id,
      planId: trialCard,
      method: 'cash',
    });
  }

  await bindPhone(
    salon.db,
    {
      tenantId: salon.tenantId,
      customerId: signUp.id,
      phone: MERGED_WALK_IN.phone,
      appId: salon.till.config.WECHAT_CUSTOMER_APPID,
    },
    async (tx, merge) => ({ ...(await absorbSignUp(tx, merge)) }),
  );
}
