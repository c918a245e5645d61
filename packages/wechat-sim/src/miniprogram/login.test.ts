import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function code2Session(params: Record<string, string>) {
  const response = await fetch(`${sim.url}/sns/jscode2session?${new URLSearchParams(params)}`);
  expect(response.status).toBe(200);
  return readJson(response);
}

const login = (code: string, appid = CUSTOMER_APPID, secret = CUSTOMER_SECRET) =>
  code2Session({ appid, secret, js_code: code, grant_type: 'authorization_code' });

async function issueCodeOverHttp(body: Record<string, string>) {
  const response = await fetch(`${sim.url}/__control/login-codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:10086' },
    body: JSON.stringify(body),
  });
  expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:10086');
  return { status: response.status, body: await readJson(response) };
}

describe('jscode2session', () => {
  it('exchanges a code issued through the control API exactly once', async () => {
    const { body } = await issueCodeOverHttp({
      appid: CUSTOMER_APPID,
      openid: 'oAlice000000000000000000000',
      unionid: 'uAlice',
    });
    const session = await login(body.code);
    expect(session).toMatchObject({ openid: 'oAlice000000000000000000000', unionid: 'uAlice' });
    expect(Buffer.from(session.session_key, 'base64url')).toHaveLength(16);
    expect(await login(body.code)).toMatchObject({ errcode: 40029 });
  });

  it('makes up a realistic openid when none is given', async () => {
    const { code, openid } = sim.issueLoginCode(STAFF_APPID);
    expect(openid).toMatch(/^o[0-9A-Za-z]{27}$/);
    expect(await login(code, STAFF_APPID, STAFF_SECRET)).toMatchObject({ openid });
  });

  it('expires codes after five minutes of simulated time', async () => {
    const { code } = sim.issueLoginCode(CUSTOMER_APPID, 'oBob0000000000000000000000');
    const shift = await fetch(`${sim.url}/__control/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offsetSeconds: 301 }),
    });
    expect(await readJson(shift)).toMatchObject({ offsetSeconds: 301 });
    try {
      expect(await login(code)).toMatchObject({ errcode: 40029 });
    } finally {
      sim.clock.setOffsetSeconds(0);
    }
  });

  it('rejects a code used with another app, a bad appid, a wrong secret and a missing code', async () => {
    const { code } = sim.issueLoginCode(CUSTOMER_APPID);
    expect(await login(code, STAFF_APPID, STAFF_SECRET)).toMatchObject({ errcode: 40029 });
    expect(await login(code, 'wx_not_a_real_app', 'x')).toMatchObject({ errcode: 40013 });
    expect(await login(code, CUSTOMER_APPID, 'wrong-secret')).toMatchObject({
      errcode: 40125,
      errmsg: expect.stringContaining('invalid appsecret'),
    });
    expect(
      await code2Session({ appid: CUSTOMER_APPID, secret: CUSTOMER_SECRET, grant_type: 'authorization_code' }),
    ).toMatchObject({ errcode: 41008 });
    expect(
      await code2Session({ secret: CUSTOMER_SECRET, js_code: code, grant_type: 'authorization_code' }),
    ).toMatchObject({ errcode: 41002 });
    expect(await code2Session({ appid: CUSTOMER_APPID, secret: CUSTOMER_SECRET, js_code: code })).toMatchObject({
      errcode: 40002,
    });
    // None of the failures above used the code up.
    expect(await login(code)).toHaveProperty('openid');
  });

  it('rate-limits one openid to 100 logins a minute', async () => {
    const openid = 'oBusy000000000000000000000';
    const codes = Array.from({ length: 101 }, () => sim.issueLoginCode(CUSTOMER_APPID, openid).code);
    for (const code of codes.slice(0, 100)) expect(await login(code)).toHaveProperty('openid', openid);
    expect(await login(codes[100] as string)).toMatchObject({ errcode: 45011 });
  });

  it('refuses control codes for unknown apps', async () => {
    const { status, body } = await issueCodeOverHttp({ appid: 'wx_unknown' });
    expect(status).toBe(400);
    expect(body.code).toBe('UNKNOWN_APPID');
  });
});
