import { randomUUID } from 'node:crypto';
import type { TenantFixture } from './fixtures.ts';
import { bearer, customerTokenFor, staffTokenFor, type TestApi } from './harness.ts';

/** Helpers the credit tests share: tokens for a fixture's people and requests as they would send them. */
export function creditClient(api: TestApi) {
  type Who = 'beautician' | 'manager' | 'owner';
  const staffToken = (f: TenantFixture, who: Who = 'beautician') => staffTokenFor(api.app, f, who);
  const customerToken = (f: TenantFixture, i = 0) => customerTokenFor(api.app, f, i);

  async function send(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    opts: { f: TenantFixture; who?: Who | 'customer'; customer?: number; payload?: unknown; key?: string | false },
  ) {
    const token = opts.who === 'customer' ? customerToken(opts.f, opts.customer ?? 0) : staffToken(opts.f, opts.who);
    const headers: Record<string, string> = { ...bearer(token) };
    if (opts.key !== false && method === 'POST') headers['idempotency-key'] = opts.key ?? randomUUID();
    return api.app.inject({
      method,
      url,
      headers,
      ...(opts.payload === undefined ? {} : { payload: opts.payload as object }),
    });
  }

  return {
    staffToken,
    customerToken,
    send,
    get: (url: string, f: TenantFixture, who: Who | 'customer' = 'beautician', customer = 0) =>
      send('GET', url, { f, who, customer }),
    post: (url: string, f: TenantFixture, payload: unknown, who: Who = 'beautician', key?: string) =>
      send('POST', url, { f, who, payload, ...(key ? { key } : {}) }),
    put: (url: string, f: TenantFixture, payload: unknown, who: Who = 'manager') =>
      send('PUT', url, { f, who, payload }),
    /** Sets a customer's limit through the manager route. */
    async setLimit(f: TenantFixture, customerId: string, limitFen: number) {
      const res = await send('PUT', `/staff/customers/${customerId}/credit-line/limit`, {
        f,
        who: 'manager',
        payload: { limitFen, reason: '测试设置额度' },
      });
      if (res.statusCode !== 200) throw new Error(`set limit failed: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    /** A credit sale at the fixture's first store by its beautician. */
    async sale(f: TenantFixture, customerId: string, body: Record<string, unknown>, key?: string) {
      return send('POST', `/staff/customers/${customerId}/credit-sales`, {
        f,
        who: 'beautician',
        payload: { storeId: f.storeIds[0], ...body },
        ...(key ? { key } : {}),
      });
    },
    async repay(f: TenantFixture, customerId: string, body: Record<string, unknown>, key?: string) {
      return send('POST', `/staff/customers/${customerId}/credit-repayments`, {
        f,
        who: 'beautician',
        payload: { storeId: f.storeIds[0], method: 'cash', ...body },
        ...(key ? { key } : {}),
      });
    },
  };
}

export const DAY_MS = 86_400_000;
