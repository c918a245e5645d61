import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantFixture, type TenantFixture } from '../../testing/fixtures.ts';
import { createTestApi, customerTokenFor, injectAs, staffTokenFor, type TestApi } from '../../testing/harness.ts';
import { MAX_UNUSED_CONSENTS } from './consents.ts';

/** The consent and settings routes: each customer and tenant sees only their own, and bad input is a 4xx. */
let api: TestApi;
let t: TenantFixture;
let other: TenantFixture;

const customer = (f: TenantFixture, i = 0) => customerTokenFor(api.app, f, i);
const staff = (f: TenantFixture, who: 'beautician' | 'manager') => staffTokenFor(api.app, f, who);

const send = (method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, payload?: unknown) =>
  injectAs(api.app, method, url, token, payload);

beforeAll(async () => {
  api = await createTestApi({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
  t = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
  other = await createTenantFixture(api.db.db, api.config.WECHAT_CUSTOMER_APPID);
});
afterAll(async () => {
  await api?.close();
});

describe('consent routes', () => {
  it('lists the template to ask for per purpose', async () => {
    const res = await send('GET', '/me/subscriptions/templates', customer(t));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toContainEqual({ purpose: 'bill_settled', templateId: 'sim-bill-settled' });
    expect(res.json()).toContainEqual({ purpose: 'credit_due', templateId: 'sim-credit-due' });
  });

  it("keeps each customer's consents to themselves, per tenant", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await send('POST', '/me/subscriptions', customer(t), { templateId: 'sim-bill-settled' });
      expect(res.json()).toEqual({ templateId: 'sim-bill-settled', available: i + 1 });
    }
    expect((await send('GET', '/me/subscriptions', customer(t))).json()).toEqual([
      { templateId: 'sim-bill-settled', available: 2 },
    ]);
    expect((await send('GET', '/me/subscriptions', customer(t, 1))).json()).toEqual([]);
    expect((await send('GET', '/me/subscriptions', customer(other))).json()).toEqual([]);
  });

  it('stops counting at the cap', async () => {
    let available = 0;
    for (let i = 0; i <= MAX_UNUSED_CONSENTS; i++) {
      available = (await send('POST', '/me/subscriptions', customer(t, 1), { templateId: 'sim-tier-change' })).json()
        .available;
    }
    expect(available).toBe(MAX_UNUSED_CONSENTS);
  });

  it('refuses bad input and the wrong caller with a 4xx and a code', async () => {
    const cases = [
      { token: customer(t), payload: { templateId: 'has spaces' }, status: 400 },
      { token: customer(t), payload: { templateId: 'x'.repeat(129) }, status: 400 },
      { token: customer(t), payload: { templateId: 'ok', extra: 1 }, status: 400 },
      { token: customer(t), payload: {}, status: 400 },
      { token: staff(t, 'manager'), payload: { templateId: 'sim-bill-settled' }, status: 403 },
      { token: null, payload: { templateId: 'sim-bill-settled' }, status: 401 },
    ];
    for (const c of cases) {
      const res = await send('POST', '/me/subscriptions', c.token, c.payload);
      expect(res.statusCode, JSON.stringify(c.payload)).toBe(c.status);
      expect(res.json().error.code).toEqual(expect.any(String));
    }
  });
});

describe('messaging settings', () => {
  it('lets a manager mute bill events for their tenant only, audited', async () => {
    expect((await send('GET', '/staff/messaging/settings', staff(t, 'manager'))).json()).toEqual({
      mutedBillEvents: [],
      billSmsFallback: true,
    });
    const changed = await send('PUT', '/staff/messaging/settings', staff(t, 'manager'), {
      mutedBillEvents: ['bill_settled'],
    });
    expect(changed.json()).toEqual({ mutedBillEvents: ['bill_settled'], billSmsFallback: true });
    expect((await send('GET', '/staff/messaging/settings', staff(other, 'manager'))).json().mutedBillEvents).toEqual(
      [],
    );
    const audit = await send('GET', '/staff/audit?action=messaging.settings_changed', staff(t, 'manager'));
    expect(audit.statusCode).toBe(200);
    expect(JSON.stringify(audit.json())).toContain('messaging.settings_changed');
  });

  it('refuses bad settings and non-managers', async () => {
    const cases = [
      { token: staff(t, 'manager'), payload: { mutedBillEvents: ['bill_lost'] }, status: 400 },
      { token: staff(t, 'manager'), payload: { mutedBillEvents: ['bill_voided', 'bill_voided'] }, status: 400 },
      { token: staff(t, 'manager'), payload: { billSmsFallback: 'yes' }, status: 400 },
      { token: staff(t, 'manager'), payload: { templates: {} }, status: 400 },
      { token: staff(t, 'beautician'), payload: { billSmsFallback: false }, status: 403 },
      { token: customer(t), payload: { billSmsFallback: false }, status: 403 },
    ];
    for (const c of cases) {
      const res = await send('PUT', '/staff/messaging/settings', c.token, c.payload);
      expect(res.statusCode, JSON.stringify(c.payload)).toBe(c.status);
      expect(res.json().error.code).toEqual(expect.any(String));
    }
    expect((await send('GET', '/staff/messaging/settings', staff(t, 'manager'))).json().billSmsFallback).toBe(true);
  });
});
