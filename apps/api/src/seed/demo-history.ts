import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import {
  consumeSessions,
  HouseAccounts,
  type LedgerDeps,
  type Posting,
  requestHash,
  sellPackageCard,
  spendStoredValue,
  topUp,
} from '../modules/ledger/index.ts';

export interface HistoryInput {
  tenantId: string;
  storeIds: string[];
  staffIds: string[];
  customerIds: string[];
  services: { id: string; name: string; priceFen: number }[];
  packagePlanIds: string[];
  months: number;
  log: (line: string) => void;
}

/**
 * A small deterministic PRNG so every demo database has the same history. Seeded with a constant, not the
 * tenant's id: that is a fresh uuid per database, and the histories it gave differed from one run to the next
 * (one in a while leaving 林小雅 almost no stored value, which the end-to-end tests rely on).
 */
function prng(seed: string) {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/**
 * A year (or `months`) of salon life for the demo customers, posted through the real ledger operations in time
 * order — never by writing balances — so wallets, entries and verify look exactly like production.
 */
export async function seedLedgerHistory(db: Database, input: HistoryInput): Promise<number> {
  const random = prng('lumi-demo-history');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const end = Date.now() - 86_400_000;
  const start = end - input.months * 30 * 86_400_000;
  let clock = new Date(start);
  const deps: LedgerDeps = { house: new HouseAccounts(), now: () => clock };

  type Event = { at: number; customer: string; kind: 'top_up' | 'visit' | 'card' };
  const events: Event[] = [];
  input.customerIds.forEach((customer, i) => {
    // Some customers are loyal, some lapsed, some new: that spread is what segmentation will find.
    const style = i % 10;
    if (style === 9) return; // never bought anything
    const activeFrom = start + random() * (end - start) * (style === 8 ? 0.85 : 0.4);
    const activeTo = style < 2 ? activeFrom + (end - activeFrom) * 0.3 : end;
    const visits = style < 5 ? 4 + Math.floor(random() * 10) : 1 + Math.floor(random() * 4);
    events.push({ at: activeFrom, customer, kind: 'top_up' });
    if (random() < 0.35) events.push({ at: activeFrom + 3_600_000, customer, kind: 'card' });
    for (let v = 0; v < visits; v++) {
      events.push({ at: activeFrom + (v + 1) * ((activeTo - activeFrom) / (visits + 1)), customer, kind: 'visit' });
    }
    if (visits > 6) events.push({ at: activeFrom + (activeTo - activeFrom) / 2, customer, kind: 'top_up' });
  });
  events.sort((a, b) => a.at - b.at);

  let posted = 0;
  for (const [n, event] of events.entries()) {
    clock = new Date(event.at);
    const storeIndex = Math.floor(random() * input.storeIds.length);
    const base = {
      tenantId: input.tenantId,
      customerId: event.customer,
      storeId: input.storeIds[storeIndex] ?? null,
      staffId: pick(input.staffIds),
      at: clock,
    };
    const posting = (what: unknown): Posting => ({
      ...base,
      idempotencyKey: `demo-${n}`,
      requestHash: requestHash(what),
    });
    try {
      if (event.kind === 'top_up') {
        const amountFen = pick([100_000, 100_000, 300_000, 50_000, 500_000]);
        await topUp(db, deps, posting({ n, amountFen }), {
          storeId: base.storeId as string,
          amountFen,
          method: random() < 0.6 ? 'card' : 'cash',
        });
      } else if (event.kind === 'card') {
        const planId = pick(input.packagePlanIds);
        await sellPackageCard(db, deps, posting({ n, planId }), {
          storeId: base.storeId as string,
          planId,
          method: 'card',
        });
      } else {
        const service = pick(input.services);
        await spendStoredValue(db, deps, posting({ n, service: service.id }), {
          storeId: base.storeId as string,
          amountFen: service.priceFen,
          revenue: 'service',
          items: [{ name: service.name, quantity: 1, amountFen: service.priceFen }],
        }).catch(async (error: unknown) => {
          // Out of stored value: a real customer would top up at the till, so the demo does too.
          if ((error as { code?: string }).code !== 'LEDGER_INSUFFICIENT_BALANCE') throw error;
          await topUp(db, deps, posting({ n, topUp: true }), {
            storeId: base.storeId as string,
            amountFen: 100_000,
            method: 'card',
          });
        });
      }
      posted++;
    } catch (error) {
      if ((error as { code?: string }).code !== 'LEDGER_INSUFFICIENT_BALANCE') throw error;
    }
    if ((n + 1) % 250 === 0) input.log(`  ledger history: ${n + 1}/${events.length} events`);
  }
  await useSomeCardSessions(db, deps, input, () => clock, random);
  return posted;
}

async function useSomeCardSessions(
  db: Database,
  deps: LedgerDeps,
  input: HistoryInput,
  now: () => Date,
  random: () => number,
) {
  const cards = await queryRows<{ id: string; customer_id: string; sessions_left: number }>(
    db,
    sql`select c.id, c.customer_id, -a.balance as sessions_left from package_cards c join accounts a on a.package_card_id = c.id
        where c.tenant_id = ${input.tenantId} order by c.created_at`,
  );
  for (const [i, card] of cards.entries()) {
    const use = Math.min(Number(card.sessions_left), 1 + Math.floor(random() * 3));
    if (use <= 0) continue;
    const key = `demo-card-${i}`;
    await consumeSessions(
      db,
      deps,
      {
        tenantId: input.tenantId,
        storeId: input.storeIds[0] ?? null,
        staffId: input.staffIds[0] ?? null,
        idempotencyKey: key,
        requestHash: requestHash({ key }),
        at: now(),
      },
      card.id,
      { storeId: input.storeIds[0] as string, sessions: use },
    );
  }
}
