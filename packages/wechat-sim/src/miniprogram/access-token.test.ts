import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CUSTOMER_APPID,
  CUSTOMER_SECRET,
  STAFF_APPID,
  STAFF_SECRET,
  startTestSim,
} from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';
import { readJson } from '../test-support/read-json.ts';

let sim: WechatSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.clock.setOffsetSeconds(0));

async function stableToken(body: Record<string, unknown>) {
  const response = await fetch(`${sim.url}/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', ...body }),
  });
  return readJson(response);
}

async function sendProbe(token: string) {
  const response = await fetch(`${sim.url}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ touser: 'oNobody', template_id: 'sim-x', data: {} }),
  });
  return readJson(response);
}

describe('stable_token', () => {
  it('returns the same token until five minutes before expiry, then a new one', async () => {
    const first = await stableToken({ appid: STAFF_APPID, secret: STAFF_SECRET });
    expect(first.expires_in).toBeGreaterThan(7190);
    const again = await stableToken({ appid: STAFF_APPID, secret: STAFF_SECRET });
    expect(again.access_token).toBe(first.access_token);

    sim.clock.setOffsetSeconds(7200 - 200);
    const renewed = await stableToken({ appid: STAFF_APPID, secret: STAFF_SECRET });
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(renewed.expires_in).toBeGreaterThan(7190);
    // The old token still works during the handover, so it fails on the openid, not the token.
    expect(await sendProbe(first.access_token)).toMatchObject({ errcode: 40003 });

    sim.clock.setOffsetSeconds(7200 + 10);
    expect(await sendProbe(first.access_token)).toMatchObject({ errcode: 42001 });
  });

  it('force_refresh revokes the old token and is ignored within 30 s', async () => {
    const before = await stableToken({ appid: CUSTOMER_APPID, secret: CUSTOMER_SECRET });
    const forced = await stableToken({ appid: CUSTOMER_APPID, secret: CUSTOMER_SECRET, force_refresh: true });
    expect(forced.access_token).not.toBe(before.access_token);
    expect(await sendProbe(before.access_token)).toMatchObject({ errcode: 40001 });
    const tooSoon = await stableToken({ appid: CUSTOMER_APPID, secret: CUSTOMER_SECRET, force_refresh: true });
    expect(tooSoon.access_token).toBe(forced.access_token);
  });

  it('limits force_refresh to 20 a day', async () => {
    const appid = CUSTOMER_APPID;
    let last: { errcode?: number } = {};
    for (let i = 0; i < 21; i += 1) {
      sim.clock.setOffsetSeconds(10_000 + i * 31);
      last = await stableToken({ appid, secret: CUSTOMER_SECRET, force_refresh: true });
    }
    expect(last).toMatchObject({ errcode: 45009 });
  });

  it('checks credentials and grant type', async () => {
    expect(await stableToken({ appid: 'wx_nope', secret: 'x' })).toMatchObject({ errcode: 40013 });
    expect(await stableToken({ appid: STAFF_APPID, secret: 'wrong' })).toMatchObject({ errcode: 40125 });
    expect(await stableToken({ appid: STAFF_APPID, secret: STAFF_SECRET, grant_type: 'password' })).toMatchObject({
      errcode: 40002,
    });
  });
});

describe('GET /cgi-bin/token', () => {
  it('issues a new token per call and keeps the previous one valid for five minutes', async () => {
    const get = async () =>
      readJson(
        await fetch(
          `${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${STAFF_APPID}&secret=${STAFF_SECRET}`,
        ),
      );
    const first = await get();
    const second = await get();
    expect(first.expires_in).toBe(7200);
    expect(second.access_token).not.toBe(first.access_token);
    expect(await sendProbe(first.access_token)).toMatchObject({ errcode: 40003 });
    sim.clock.setOffsetSeconds(301);
    expect(await sendProbe(first.access_token)).toMatchObject({ errcode: 42001 });
    expect(await sendProbe(second.access_token)).toMatchObject({ errcode: 40003 });
  });
});
