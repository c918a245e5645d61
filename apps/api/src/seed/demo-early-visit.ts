import { ledgerDeps } from '../ledger-deps.ts';
import type { Wallet } from '@lumi/shared';
import { consumeSessions, HouseAccounts, requestHash, spendStoredValue, topUp } from '../modules/ledger/index.ts';
import { pickFrom } from './demo-clock.ts';
import type { Member, Salon } from './demo-salon.ts';

/** Bills through checkout cover the last this-many days; before that the salon posted visits on the ledger alone. */
export const TILL_DAYS = 75;

let serial = 0;
const _house = new HouseAccounts();

/**
 * A visit from before the salon opened bills at the till: a 消费 of stored value (topped up first when short) or
 * a session off the customer's package card, posted by the ledger's own operations at the visit's time. The
 * API in-process costs several times more per visit than these, and nine months of them only need to be right
 * in the ledger — what RFM, tiers and the wallet read — not to be bills.
 */
export async function earlyVisit(salon: Salon, m: Member, wallet: Wallet): Promise<void> {
  const at = salon.till.now;
  const deps = ledgerDeps(() => at);
  const posting = (what: object) => {
    const key = `demo-early-${serial++}`;
    return {
      tenantId: salon.tenantId,
      customerId: m.id,
      storeId: m.store.id,
      staffId: m.store.beautician.id,
      idempotencyKey: key,
      requestHash: requestHash({ key, ...what }),
      at,
    };
  };
  const card = wallet.packageCards.find((c) => !c.expired && c.sessionsLeft > 0);
  if (card && salon.random() < 0.5) {
    await consumeSessions(
      salon.db,
      deps,
      posting({ card: card.id }),
      card.id,
      { storeId: m.store.id, sessions: 1 },
      m.id,
    );
    return;
  }
  const service = pickFrom(salon.random)(salon.services);
  if (wallet.totalFen < service.priceFen) {
    await topUp(salon.db, deps, posting({ topUp: true }), {
      storeId: m.store.id,
      amountFen: wallet.totalFen + 100_000 >= service.priceFen ? 100_000 : 300_000,
      method: salon.random() < 0.6 ? 'card' : 'cash',
    });
  }
  await spendStoredValue(salon.db, deps, posting({ service: service.id }), {
    storeId: m.store.id,
    amountFen: service.priceFen,
    revenue: 'service',
    items: [{ name: service.name, quantity: 1, amountFen: service.priceFen }],
  });
}
