import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/database.ts';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { bearer, createTestApi, staffTokenFor, type TestApi } from '../../testing/harness.ts';

let api: TestApi;
let t: TenantFixture;

const verifyRoute = async () =>
  (
    await api.app.inject({
      method: 'GET',
      url: '/staff/ledger/verify',
      headers: bearer(staffTokenFor(api.app, t, 'manager')),
    })
  ).json() as { ok: boolean; problems: { check: string; message: string }[] };

/** `pnpm ledger:verify` against this test's database: its exit code and what it printed. */
async function verifyCli(): Promise<{ code: number; out: string }> {
  const cli = fileURLToPath(new URL('./verify-cli.ts', import.meta.url));
  return promisify(execFile)(process.execPath, ['--import', 'tsx', cli], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: api.db.url },
    timeout: 120_000,
  }).then(
    ({ stdout }) => ({ code: 0, out: stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, out: error.stdout ?? '' }),
  );
}

beforeAll(async () => {
  api = await createTestApi();
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  const top = await api.app.inject({
    method: 'POST',
    url: `/staff/customers/${t.customers[0]!.id}/top-ups`,
    headers: { ...bearer(staffTokenFor(api.app, t)), 'idempotency-key': randomUUID() },
    payload: { storeId: t.storeIds[0], amountFen: 10_000, method: 'cash' },
  });
  expect(top.statusCode, top.body).toBe(201);
});

afterAll(async () => {
  await api?.close();
});

describe("ledger verify: every transfer's Idempotency-Key is claimed", () => {
  it('passes while the claims are there, and names the transfer whose claim was deleted (route and CLI)', async () => {
    expect(await verifyRoute()).toMatchObject({ ok: true, problems: [] });
    expect((await verifyCli()).code).toBe(0);

    const [transfer] = await queryRows<{ id: number; idempotency_key: string }>(
      api.db.db,
      sql`select id, idempotency_key from transfers where tenant_id = ${t.tenantId} and customer_id is not null order by id limit 1`,
    );
    // A superuser (or a bad migration) removes the claim the trigger wrote.
    await api.db.db.execute(
      sql`delete from idempotency_keys where tenant_id = ${t.tenantId} and key = ${transfer!.idempotency_key}`,
    );

    const report = await verifyRoute();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        check: 'idempotency_claim',
        message: expect.stringContaining(`transfer ${transfer!.id}`),
      }),
    ]);
    const cli = await verifyCli();
    expect(cli.code).toBe(1);
    expect(cli.out).toContain('[idempotency_claim]');
    // Two CLI runs, each a Node process compiling TypeScript at start: on a loaded 2-core box that alone took
    // over the default 60 s, so the test has the budget of its two runs (each killed after 120 s).
  }, 300_000);
});
