import type { Coupon, Wallet } from '@lumi/shared';
import { openingHours } from './demo-clock.ts';
import { grantCredit, type Member, openAndSettle, repayDue, type Salon } from './demo-salon.ts';

const DAY_MS = 86_400_000;

/**
 * What 林小雅 (customer 0, the one the tour and the e2e tests log in as) has beyond her regular visits, so every
 * customer screen shows something: a 光子嫩肤 course bought on the tab in three instalments five and a half weeks
 * ago, whose first instalment she paid and whose second is due soon; and a coupon of each kind her 优惠券 screen
 * shows apart from today's birthday gift (demo-today.ts): one she used at the till, one she let expire.
 */
export function scheduleXiaoya(
  schedule: (at: number, run: () => Promise<void>) => void,
  salon: Salon,
  xiaoya: Member,
  end: number,
): void {
  const boughtAt = openingHours(end - 38 * DAY_MS, () => 0.55);
  schedule(boughtAt, async () => {
    const staff = salon.till.as(xiaoya.store.beautician);
    const wallet = await staff.get<Wallet>(`/staff/customers/${xiaoya.id}/wallet`);
    if (!wallet.credit.limitFen) await grantCredit(salon, xiaoya);
    const photo = salon.services.find((s) => s.name === '光子嫩肤') ?? salon.services[0];
    const serum = salon.products[0];
    if (!photo || !serum) throw new Error('the demo catalogue has no 光子嫩肤 or product');
    const performerIds = [xiaoya.store.beautician.id];
    await openAndSettle(
      salon,
      staff,
      {
        storeId: xiaoya.store.id,
        customerId: xiaoya.id,
        lines: [
          { type: 'service', serviceId: photo.id, quantity: 1, performerIds },
          { type: 'product', productId: serum.id, quantity: 1, performerIds },
        ],
        memo: '光子嫩肤疗程首次，分三期',
      },
      (bill) => [{ method: 'credit', amountFen: bill.totalFen, instalments: { count: 3, interestFree: true } }],
    );
  });
  // She pays the first instalment at the desk a few days before it falls due.
  schedule(
    openingHours(end - 11 * DAY_MS, () => 0.3),
    async () => {
      await repayDue(salon, xiaoya);
    },
  );
  scheduleXiaoyaCoupons(schedule, salon, xiaoya, end);
}

function scheduleXiaoyaCoupons(
  schedule: (at: number, run: () => Promise<void>) => void,
  salon: Salon,
  xiaoya: Member,
  end: number,
): void {
  const issue = (offer: object, reason: string) =>
    salon.till.as(xiaoya.store.manager).post<Coupon>(`/staff/customers/${xiaoya.id}/coupons`, { offer, reason });
  // Two and a half months ago: a thank-you for a referral, valid two weeks, never used — 已过期 now.
  schedule(
    openingHours(end - 75 * DAY_MS, () => 0.4),
    async () => {
      await issue(
        { kind: 'amount_off', title: '推荐好友礼', amountOffFen: 5_000, minSpendFen: 20_000, validDays: 14 },
        '推荐好友到店，赠送感谢券',
      );
    },
  );
  // Four weeks ago: a coupon for her next facial, used at the till two days later — 已使用.
  schedule(
    openingHours(end - 28 * DAY_MS, () => 0.35),
    async () => {
      const coupon = await issue(
        { kind: 'amount_off', title: '护理满减券', amountOffFen: 3_000, minSpendFen: 30_000, validDays: 30 },
        '疗程回访，赠下次护理满减',
      );
      salon.till.now = new Date(salon.till.now.getTime() + 2 * DAY_MS);
      const staff = salon.till.as(xiaoya.store.beautician);
      const facial = salon.services.find((s) => s.priceFen >= 30_000 && s.name !== '光子嫩肤');
      if (!facial) throw new Error('the demo catalogue has no facial of ¥300 or more');
      await openAndSettle(
        salon,
        staff,
        {
          storeId: xiaoya.store.id,
          customerId: xiaoya.id,
          couponId: coupon.id,
          lines: [{ type: 'service', serviceId: facial.id, quantity: 1, performerIds: [xiaoya.store.beautician.id] }],
        },
        // Cash: her stored value stays for today's bill waiting for her confirmation (demo-today.ts).
        (bill) => [{ method: 'cash', amountFen: bill.totalFen }],
      );
    },
  );
}
