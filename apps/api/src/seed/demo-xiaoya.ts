import type { Wallet } from '@lumi/shared';
import { openingHours } from './demo-clock.ts';
import { grantCredit, type Member, openAndSettle, repayDue, type Salon } from './demo-salon.ts';

const DAY_MS = 86_400_000;

/**
 * What 林小雅 (customer 0, the one the tour and the e2e tests log in as) has beyond her regular visits, so every
 * customer screen shows something: a 光子嫩肤 course bought on the tab in three instalments five and a half weeks
 * ago, whose first instalment she paid and whose second is due soon.
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
}
