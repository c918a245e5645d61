/**
 * Where a full RFM recompute spends its time (not a test). In one throwaway cluster, after the benchmark kept its
 * database, it truncates rfm_scores and recomputes once with auto_explain logging every statement over 200 ms
 * with EXPLAIN ANALYZE (buffers, timing) into the server log, which the cluster deletes when it stops:
 *
 *   bash infra/scripts/with-postgres.sh bash -c 'BENCH_KEEP=1 pnpm --filter @lumi/api bench:segmentation &&
 *     (cd apps/api && node --import tsx bench/segmentation-explain.ts) && cp "$PG_LOG_FILE" /tmp/rfm-explain.log'
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../src/db/open.ts';
import { recomputeRfm } from '../src/modules/segmentation/index.ts';
import { databaseUrl } from '../src/testing/postgres.ts';

const url = databaseUrl('lumi_bench_segmentation');
const client = new pg.Client({ connectionString: url });
await client.connect();
const tenant = await client.query<{ id: string }>(`select id from tenants where slug = 'bench-segmentation'`);
const tenantId = tenant.rows[0]?.id as string;
await client.query('truncate rfm_scores');
await client.end();
const handle = await openDatabase({ databaseUrl: url, poolMax: 1 });
for (const s of [
  `load 'auto_explain'`,
  'set auto_explain.log_min_duration = 200',
  'set auto_explain.log_analyze = on',
  'set auto_explain.log_buffers = on',
  'set auto_explain.log_verbose = on',
  'set auto_explain.log_nested_statements = on',
])
  await handle.db.execute(sql.raw(s));
const steps: string[] = [];
await recomputeRfm(handle.db, tenantId, { asOf: new Date(), trace: (step, ms) => steps.push(`${step} ${ms} ms`) });
console.log(`explained recompute: ${steps.join(' · ')}`);
await handle.close();
