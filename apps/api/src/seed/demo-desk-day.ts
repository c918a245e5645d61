import type { Bill } from '@lumi/shared';
import type { Member, Salon } from './demo-salon.ts';

/**
 * Today's takings at the first store, so 交班/日结 and 我的业绩 show real figures for the demo beautician (王美丽):
 * she serves a regular — a treatment and a serum — paid part cash, part card, and the manager takes a cash top-up
 * from another customer. Timed from the desk's start in small steps, so nothing lands after the real time.
 */
export async function deskTakingsToday(salon: Salon, members: Member[], deskStart: Date): Promise<void> {
  const store = salon.stores[0];
  const atStore = members.filter((m) => m.store.id === store?.id && m.index !== 0);
  const [served, toppedUp] = atStore;
  const treatment = salon.services.find((s) => s.name === '深层补水护理') ?? salon.services[0];
  const serum = salon.products[0];
  if (!store || !served || !toppedUp || !treatment || !serum) return;
  const { till } = salon;
  const at = (minutes: number) => {
    till.now = new Date(deskStart.getTime() + minutes * 60_000);
  };
  const beautician = till.as(store.beautician);
  const performerIds = [store.beautician.id];
  at(5);
  const bill = await beautician.post<Bill>('/staff/bills', {
    storeId: store.id,
    customerId: served.id,
    lines: [
      { type: 'service', serviceId: treatment.id, quantity: 1, performerIds },
      { type: 'product', productId: serum.id, quantity: 1, performerIds },
    ],
  });
  at(35);
  const cashFen = Math.min(20_000, bill.totalFen);
  await beautician.post(`/staff/bills/${bill.id}/settlement`, {
    tenders: [
      { method: 'cash', amountFen: cashFen },
      ...(bill.totalFen > cashFen
        ? [{ method: 'card', amountFen: bill.totalFen - cashFen, reference: 'POS-0001' }]
        : []),
    ],
  });
  at(40);
  await till.as(store.manager).post(`/staff/customers/${toppedUp.id}/top-ups`, {
    storeId: store.id,
    amountFen: 50_000,
    method: 'cash',
  });
  till.now = deskStart;
}
