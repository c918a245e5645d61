import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_APPID, CUSTOMER_SECRET, STAFF_APPID, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';
import { readJson } from '../test-support/read-json.ts';

let sim: WechatSim;
let token: string;
const openid = 'oSubscriber00000000000000000';
const TEMPLATE = 'sim-booking-reminder';

beforeAll(async () => {
  sim = await startTestSim();
  sim.issueLoginCode(CUSTOMER_APPID, openid);
  const response = await fetch(`${sim.url}/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid: CUSTOMER_APPID, secret: CUSTOMER_SECRET }),
  });
  token = (await readJson(response)).access_token;
});
afterAll(async () => {
  await sim.close();
});

async function send(body: Record<string, unknown>, accessToken = token) {
  const response = await fetch(
    `${sim.url}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(accessToken)}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
  );
  expect(response.status).toBe(200);
  return readJson(response);
}

async function control(path: string, body: unknown) {
  const response = await fetch(`${sim.url}/__control${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return readJson(response);
}

const reminder = (data: Record<string, string>, template = TEMPLATE) => ({
  touser: openid,
  template_id: template,
  page: 'pages/booking/index?id=42',
  miniprogram_state: 'developer',
  lang: 'zh_CN',
  data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, { value }])),
});

describe('subscribe message send', () => {
  it('needs a one-time subscription per message and records what was sent', async () => {
    const message = reminder({ thing1: '面部护理', time2: '2025-03-01 14:00', character_string3: 'BK20250301' });
    expect(await send(message)).toMatchObject({ errcode: 43101 });

    expect(await control('/subscriptions', { openid, templateId: TEMPLATE, count: 1 })).toMatchObject({
      appid: CUSTOMER_APPID,
      remaining: 1,
    });
    const sent = await send(message);
    expect(sent).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(sent.msgid).toEqual(expect.any(Number));
    expect(await send(message)).toMatchObject({ errcode: 43101 });

    const recorded = await readJson(await fetch(`${sim.url}/__control/messages?openid=${openid}`));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      appid: CUSTOMER_APPID,
      template_id: TEMPLATE,
      data: { thing1: { value: '面部护理' } },
    });
  });

  it('rejects a thing value over 20 characters with 47003 without using the subscription', async () => {
    sim.grantSubscription({ openid, templateId: TEMPLATE });
    const tooLong = reminder({ thing1: '超'.repeat(21) });
    expect(await send(tooLong)).toMatchObject({
      errcode: 47003,
      errmsg: expect.stringContaining('data.thing1.value invalid'),
    });
    expect(await send(reminder({ thing1: '超'.repeat(20) }))).toMatchObject({ errcode: 0 });
  });

  it('applies the other value rules by key kind', async () => {
    sim.grantSubscription({ openid, templateId: TEMPLATE, count: 5 });
    expect(await send(reminder({ number1: '12a' }))).toMatchObject({ errcode: 47003 });
    expect(await send(reminder({ character_string1: 'x'.repeat(33) }))).toMatchObject({ errcode: 47003 });
    expect(await send(reminder({ phrase1: '已预约成功啦了' }))).toMatchObject({ errcode: 47003 });
    expect(await send(reminder({ amount1: '¥198.00' }))).toMatchObject({ errcode: 0 });
  });

  it('knows only openids that logged in, and only registered or prefixed templates', async () => {
    sim.grantSubscription({ openid, templateId: 'tmpl_real_looking_id' });
    expect(await send({ ...reminder({ thing1: 'a' }), touser: 'oStranger000000000000000000' })).toMatchObject({
      errcode: 40003,
    });
    expect(await send(reminder({ thing1: 'a' }, 'tmpl_real_looking_id'))).toMatchObject({ errcode: 40037 });

    await control('/templates', { templateId: 'tmpl_real_looking_id', keys: ['thing1', 'time2'] });
    expect(await send(reminder({ thing1: 'a' }, 'tmpl_real_looking_id'))).toMatchObject({
      errcode: 47003,
      errmsg: expect.stringContaining('data.time2.value is empty'),
    });
    expect(await send(reminder({ thing1: 'a', time2: '14:00' }, 'tmpl_real_looking_id'))).toMatchObject({ errcode: 0 });
  });

  it('keeps openids per app: a customer openid is unknown to the staff app', async () => {
    const staff = await fetch(
      `${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${STAFF_APPID}&secret=staff-dev-secret`,
    );
    const staffToken = (await readJson(staff)).access_token;
    sim.grantSubscription({ appid: STAFF_APPID, openid, templateId: TEMPLATE });
    expect(await send(reminder({ thing1: 'a' }), staffToken)).toMatchObject({ errcode: 40003 });
  });

  it('rejects bad and malformed requests', async () => {
    expect(await send(reminder({ thing1: 'a' }), 'not-a-token')).toMatchObject({ errcode: 40001 });
    expect(await send({ touser: openid })).toMatchObject({ errcode: 47001 });
  });
});
