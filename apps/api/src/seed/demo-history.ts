import type { Wallet } from '@lumi/shared';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { later, openingHours, pickFrom } from './demo-clock.ts';
import { getWallet } from '../modules/ledger/index.ts';
import { runWakeUpCampaign } from './demo-campaign.ts';
import { earlyVisit, TILL_DAYS } from './demo-early-visit.ts';
import { scheduleXiaoya } from './demo-xiaoya.ts';
import { afterVisit, grantCredit, type Member, repayDue, type Salon, sellCard, topUp, visit } from './demo-salon.ts';

const DAY_MS = 86_400_000;

async function creditLimit(db: Database, tenantId: string, customerId: string): Promise<number> {
  const [line] = await queryRows<{ limit_fen: number }>(
    db,
    sql`select limit_fen from credit_lines where tenant_id = ${tenantId} and customer_id = ${customerId}`,
  );
  return Number(line?.limit_fen ?? 0);
}

export interface YearCounts {
  bills: number;
  /** Visits from before bills at the till (TILL_DAYS), posted on the ledger alone. */
  earlyVisits: number;
  topUps: number;
  cards: number;
  creditLines: number;
}

interface Event {
  at: number;
  run: () => Promise<void>;
}

/**
 * A year (or the window given) of salon life, in time order, through the API: every visit is a bill opened and
 * settled at the till; top-ups, card sales, credit lines, repayments, voids and refunds come as they would. The
 * segmentation job runs monthly as it would at night, and a wake-up campaign goes out seven weeks before the end.
 */
export async function seedYear(
  db: Database,
  salon: Salon,
  members: Member[],
  window: { start: number; end: number },
  log: (line: string) => void,
): Promise<YearCounts> {
  const counts: YearCounts = { bills: 0, earlyVisits: 0, topUps: 0, cards: 0, creditLines: 0 };
  const queue: Event[] = [];
  const schedule = (at: number, run: () => Promise<void>) => {
    queue.push({ at, run });
  };

  const onVisit = (m: Member) => async () => {
    const { till, random } = salon;
    const k = m.visits++;
    const early = till.now.getTime() < window.end - TILL_DAYS * DAY_MS;
    // What the staff wallet screen shows (at the till, with her credit limit, as the credit module adds it), read
    // for the seed's own decisions — top up? pay how? — without walking the hash chains on every visit: two
    // queries instead of a request and several queries per account. The apps' own reads verify the chains.
    const readWallet = async () => {
      const wallet = (await getWallet(db, salon.tenantId, m.id, till.now, { verify: false })) as Wallet;
      if (!early) wallet.credit.limitFen = await creditLimit(db, salon.tenantId, m.id);
      return wallet;
    };
    let wallet = await readWallet();
    const loyal = m.plan.rhythm === 'regular' || m.plan.rhythm === 'lapsed';
    let changed = false;
    if ((k === 0 && loyal && random() < 0.85) || (loyal && wallet.totalFen < 30_000 && random() < 0.5)) {
      wallet = await topUp(salon, m, m.index === 0 ? 300_000 : pickFrom(random)([100_000, 100_000, 300_000, 500_000]));
      counts.topUps++;
    }
    // One-off visitors come for the trial-card offer; its 60 days run out with sessions left (过期).
    const trialCard = m.plan.rhythm === 'one_off';
    if ((k === 1 && m.plan.buysCard) || trialCard) {
      changed = true;
      const plans = salon.packagePlanIds;
      await sellCard(
        salon,
        m,
        trialCard
          ? (plans.at(-1) as string)
          : m.index === 0
            ? (plans[0] as string)
            : pickFrom(random)(plans.slice(0, -1)),
      );
      counts.cards++;
    }
    if (k === 2 && m.plan.creditLimitFen > 0) {
      await grantCredit(salon, m);
      counts.creditLines++;
      changed = true;
    }
    if (k > 0 && wallet.credit.owedFen > 0 && !m.neverRepays) changed = (await repayDue(salon, m)) || changed;
    if (changed) wallet = await readWallet();
    if (early) {
      await earlyVisit(salon, m, wallet);
      counts.earlyVisits++;
      return;
    }
    const bill = await visit(salon, m, wallet);
    counts.bills++;
    till.now = new Date(later(till.now.getTime(), 10));
    await afterVisit(salon, m, bill);
  };

  for (const m of members) for (const at of m.plan.visits) schedule(at, onVisit(m));
  const xiaoya = members.find((m) => m.index === 0);
  if (xiaoya) scheduleXiaoya(schedule, salon, xiaoya, window.end);
  const ownerClient = () => salon.till.as(salon.owner);
  for (let at = window.start + 30 * DAY_MS; at < window.end; at += 30 * DAY_MS) {
    // The nightly segmentation job, monthly here: tiers (and their discounts at the till) follow spending.
    schedule(at - 2 * 3_600_000, async () => {
      await ownerClient().post('/staff/segmentation/recompute', {});
    });
  }
  const campaignAt = openingHours(window.end - 49 * DAY_MS, () => 0.1);
  if (window.end - window.start >= 120 * DAY_MS) {
    schedule(campaignAt, async () => {
      await ownerClient().post('/staff/segmentation/recompute', {});
      const comebacks = await runWakeUpCampaign(db, salon, members);
      for (const { member, couponId } of comebacks) {
        member.couponId = couponId;
        schedule(openingHours(campaignAt + (3 + salon.random() * 20) * DAY_MS, salon.random), onVisit(member));
      }
      log(`  wake-up campaign sent; ${comebacks.length} customers will come back`);
    });
  }

  let done = 0;
  while (queue.length) {
    // Earliest first; a stable order for equal times keeps every run identical.
    let next = 0;
    for (let i = 1; i < queue.length; i++) if ((queue[i] as Event).at < (queue[next] as Event).at) next = i;
    const [event] = queue.splice(next, 1) as [Event];
    salon.till.now = new Date(event.at);
    await event.run();
    if (++done % 250 === 0) log(`  ${done} events, ${counts.bills} bills so far`);
  }
  return counts;
}
