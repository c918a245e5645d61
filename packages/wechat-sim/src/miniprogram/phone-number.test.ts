import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../test-support/read-json.ts';
import { CUSTOMER_APPID, CUSTOMER_SECRET, STAFF_APPID, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';

let sim: WechatSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});

async function accessToken(): Promise<string> {
  const response = await fetch(`${sim.url}/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid: CUSTOMER_APPID, secret: CUSTOMER_SECRET }),
  });
  return (await readJson(response)).access_token;
}

async function exchange(code: string, token: string) {
  const response = await fetch(`${sim.url}/wxa/business/getuserphonenumber?access_token=${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  expect(response.status).toBe(200);
  return readJson(response);
}

describe('getuserphonenumber', () => {
  it('exchanges a control-issued phone code once, watermarked with the app', async () => {
    const response = await fetch(`${sim.url}/__control/phone-codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appid: CUSTOMER_APPID, phone: '13800000003' }),
    });
    const { code } = await readJson(response);
    const token = await accessToken();
    const first = await exchange(code, token);
    expect(first).toMatchObject({
      errcode: 0,
      phone_info: { purePhoneNumber: '13800000003', countryCode: '86', watermark: { appid: CUSTOMER_APPID } },
    });
    expect(await exchange(code, token)).toMatchObject({ errcode: 40029 });
  });

  it("refuses another app's code and a bad access token", async () => {
    const { code } = sim.issuePhoneCode(STAFF_APPID, '13800000004');
    expect(await exchange(code, await accessToken())).toMatchObject({ errcode: 40029 });
    const other = sim.issuePhoneCode(CUSTOMER_APPID, '13800000004');
    expect((await exchange(other.code, 'nope')).errcode).not.toBe(0);
  });
});
