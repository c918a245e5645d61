import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'drizzle-orm';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { expirePackageCards, expirePoints, type LedgerDeps } from '../modules/ledger/index.ts';
import { runCreditOverdue, runCreditReminders } from '../modules/credit/index.ts';
import type { MessagingDeps } from '../modules/messaging/index.ts';
import { type Payments, reconcileWechatPayments, runDailyReconciliation } from '../modules/payments/index.ts';
import { advanceDeliveredOrders, expireShopOrders, type ShopDeps } from '../modules/shop/index.ts';
import {
  runSegmentationCampaigns,
  runSegmentationNightly,
  type SegmentationDeps,
} from '../modules/segmentation/index.ts';

/**
 * Scheduled work runs on pg-boss, a job queue kept in PostgreSQL itself (PGlite in the demo), so schedules
 * survive restarts and several API processes never run the same job twice. Handlers are plain functions of
 * (database, deps) so tests call them directly with a moved clock.
 */
export const SCHEDULES = {
  /** 03:00 in Shanghai, after the business day has closed. */
  'ledger.expire': { cron: '0 3 * * *', tz: 'Asia/Shanghai' },
} as const;

/** Scheduled when the process has the credit reminder dependencies (WeChat subscribe client, SMS provider). */
export const CREDIT_SCHEDULES = {
  /** Freeze lines overdue past the tenant's threshold and open collection tasks, before the stores open. */
  'credit.overdue': { cron: '30 3 * * *', tz: 'Asia/Shanghai' },
  /** Before-due, due-date, overdue and limit reminders at a civil hour. */
  'credit.reminders': { cron: '0 10 * * *', tz: 'Asia/Shanghai' },
} as const;

/** Scheduled only in processes that serve payments (they need the WeChat Pay client). */
export const PAYMENT_SCHEDULES = {
  /** Orders and refunds WeChat never told us about: query, complete, close. */
  'payments.reconcile': { cron: '*/5 * * * *', tz: 'Asia/Shanghai' },
  /** Yesterday's orders and refunds compared with WeChat's, after the business day is over (order by order). */
  'payments.daily-report': { cron: '30 4 * * *', tz: 'Asia/Shanghai' },
  /** The same day again once WeChat's trade bill is out (after 10:00): compared both ways, replacing 04:30's. */
  'payments.daily-bill': { cron: '30 10 * * *', tz: 'Asia/Shanghai' },
} as const;

/** Scheduled when the process has segmentation's messaging dependencies (WeChat subscribe client, SMS provider). */
export const SEGMENTATION_SCHEDULES = {
  /** RFM segments, tiers and preferences for every tenant, then tier-change notifications; after ledger expiry. */
  'segmentation.nightly': { cron: '15 4 * * *', tz: 'Asia/Shanghai' },
  /** Due wake-up campaigns are started or continued (batched, leased, resumable). */
  'segmentation.campaigns': { cron: '* * * * *', tz: 'Asia/Shanghai' },
} as const;

/** Scheduled in processes that serve the shop. */
export const SHOP_SCHEDULES = {
  /** Unpaid orders past their time are closed (WeChat order too); delivered orders move to received/completed. */
  'shop.orders': { cron: '* * * * *', tz: 'Asia/Shanghai' },
} as const;

export async function runLedgerExpiry(
  database: DatabaseHandle,
  deps: LedgerDeps,
): Promise<{ cards: number; lots: number }> {
  const tenants = await queryRows<{ id: string }>(database.db, sql`select id from tenants order by id`);
  let cards = 0;
  let lots = 0;
  for (const { id } of tenants) {
    cards += await expirePackageCards(database.db, deps, id);
    lots += await expirePoints(database.db, deps, id);
  }
  return { cards, lots };
}

export interface Jobs {
  boss: PgBoss;
  stop(): Promise<void>;
}

type JobOptions = { payments?: Payments; credit?: MessagingDeps; segmentation?: SegmentationDeps; shop?: ShopDeps };

export async function startJobs(
  database: DatabaseHandle,
  deps: LedgerDeps,
  log: FastifyBaseLogger,
  options: JobOptions = {},
): Promise<Jobs> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => database.rawQuery(text, values) },
    schema: 'pgboss',
  });
  boss.on('error', (error: unknown) => log.error({ err: error }, 'job queue error'));
  try {
    await registerJobs(boss, database, deps, log, options);
  } catch (error) {
    // A start-up cut short (the database went away half-way) leaves no polling loops behind, so the caller can
    // simply try again.
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    throw error;
  }
  return { boss, stop: () => boss.stop({ graceful: true, wait: true }) };
}

async function registerJobs(
  boss: PgBoss,
  database: DatabaseHandle,
  deps: LedgerDeps,
  log: FastifyBaseLogger,
  options: JobOptions,
): Promise<void> {
  await boss.start();
  const { payments, credit, segmentation, shop } = options;
  for (const [name, schedule] of Object.entries({
    ...SCHEDULES,
    ...(payments ? PAYMENT_SCHEDULES : {}),
    ...(credit ? CREDIT_SCHEDULES : {}),
    ...(segmentation ? SEGMENTATION_SCHEDULES : {}),
    ...(shop ? SHOP_SCHEDULES : {}),
  })) {
    await boss.createQueue(name);
    await boss.schedule(name, schedule.cron, {}, { tz: schedule.tz });
  }
  await boss.work('ledger.expire', async () => {
    const result = await runLedgerExpiry(database, deps);
    log.info(result, 'expired package cards and points');
  });
  if (payments) {
    await boss.work('payments.reconcile', async () => {
      const result = await reconcileWechatPayments(payments, payments.now());
      log.info({ ...result }, 'reconciled WeChat payments');
    });
    for (const name of ['payments.daily-report', 'payments.daily-bill']) {
      await boss.work(name, async () => {
        const result = await runDailyReconciliation(payments, payments.now());
        log.info(result, 'WeChat Pay daily reconciliation report');
      });
    }
  }
  if (credit) {
    await boss.work('credit.overdue', async () => {
      const result = await runCreditOverdue(database.db, credit);
      log.info(result, 'credit: froze overdue lines and opened collection tasks');
    });
    await boss.work('credit.reminders', async () => {
      const result = await runCreditReminders(database.db, credit);
      log.info(result, 'credit: sent reminders');
    });
  }
  if (shop) {
    await boss.work('shop.orders', async () => {
      const now = shop.ledger.now();
      const expired = await expireShopOrders(database.db, shop, now);
      const moved = await advanceDeliveredOrders(database.db, now);
      if (expired + moved > 0) log.info({ expired, moved }, 'shop: closed expired orders and advanced deliveries');
    });
  }
  if (segmentation) {
    await boss.work('segmentation.nightly', async () => {
      const result = await runSegmentationNightly(database.db, segmentation);
      log.info(result, 'segmentation: recomputed RFM, tiers and preferences');
    });
    await boss.work('segmentation.campaigns', async () => {
      const outcomes = await runSegmentationCampaigns(database.db, segmentation);
      if (outcomes.length > 0) log.info({ outcomes }, 'segmentation: campaign sends');
    });
  }
}
