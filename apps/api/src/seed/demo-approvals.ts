import type { ApprovalRequest, Wallet } from '@lumi/shared';
import type { Member, Salon } from './demo-salon.ts';

/**
 * 请店长审批 beyond voids: this morning a beautician asked the manager for a large discount (a customer who brought
 * two friends) and to move sessions of a customer's package card to her sister (all but two, which she keeps). Both wait in the manager's 审批 inbox, filed
 * at the desk's clock. Answers how many were filed.
 */
export async function askManagerForDiscountAndTransfer(salon: Salon, members: Member[]): Promise<number> {
  let filed = 0;
  // Members of store 1 other than 林小雅 (index 0), whose day is scripted elsewhere.
  const others = members.filter((m) => m.index !== 0 && m.store.id === salon.stores[0]?.id);
  const [discounted, giver, receiver] = [others.at(-1), others.at(-2), others.at(-3)];
  const facial = [...salon.services].sort((a, b) => b.priceFen - a.priceFen)[0];
  if (discounted && facial) {
    const beautician = salon.till.as(discounted.store.beautician);
    await beautician.post<ApprovalRequest>('/staff/approval-requests/discounts', {
      draft: {
        storeId: discounted.store.id,
        customerId: discounted.id,
        lines: [{ type: 'service', serviceId: facial.id, quantity: 1, performerIds: [discounted.store.beautician.id] }],
        // A third off: above the salon's limit for a beautician.
        manualDiscountFen: Math.round(facial.priceFen / 3),
        manualDiscountReason: '介绍两位新顾客办卡，申请本次护理优惠',
      },
    });
    filed++;
  }
  if (giver && receiver) {
    const beautician = salon.till.as(giver.store.beautician);
    const usable = async () =>
      (await beautician.get<Wallet>(`/staff/customers/${giver.id}/wallet`)).packageCards.find(
        (c) => !c.expired && c.sessionsLeft > 0,
      );
    let card = await usable();
    if (!card && salon.packagePlanIds[0]) {
      await beautician.post(`/staff/customers/${giver.id}/package-cards`, {
        storeId: giver.store.id,
        planId: salon.packagePlanIds[0],
        method: 'cash',
      });
      card = await usable();
    }
    if (card) {
      // A partial transfer when the card allows it: she keeps two sessions for when she is back.
      const keep = card.sessionsLeft > 2 ? 2 : 0;
      await beautician.post<ApprovalRequest>('/staff/approval-requests/package-transfers', {
        storeId: giver.store.id,
        customerId: giver.id,
        packageCardId: card.id,
        toCustomerId: receiver.id,
        sessions: card.sessionsLeft - keep,
        reason: keep ? '顾客出国半年，转给妹妹使用，留 2 次回国再用' : '顾客出国半年，剩余次数转给妹妹使用',
      });
      filed++;
    }
  }
  return filed;
}
