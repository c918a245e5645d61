import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';
import { CONTROL_ROUTE_NOTES } from './home-page.ts';

let sim: WechatSim;
let page: string;
beforeAll(async () => {
  sim = await startTestSim();
  const response = await fetch(`${sim.url}/`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  page = await response.text();
});
afterAll(async () => {
  await sim.close();
});

describe('the home page', () => {
  it('says what the simulator stands in for', () => {
    expect(page).toContain('<h1>Lumi WeChat simulator</h1>');
    for (const words of ['mini-program login', 'subscribe messages', 'WeChat Pay v3', 'refunds', 'notifies']) {
      expect(page).toContain(words);
    }
    expect(page).toContain(`<code>${sim.keys.mchid}</code>`);
    expect(page).toContain('<code>wx0000000000customer</code>');
  });

  it('lists the WeChat and Pay routes it serves', () => {
    expect(page).toContain('<code>GET /sns/jscode2session</code>');
    expect(page).toContain('<code>POST /cgi-bin/message/subscribe/send</code>');
    expect(page).toContain('<code>POST /v3/pay/transactions/jsapi</code>');
    expect(page).not.toContain('HEAD ');
  });

  it('describes every control route, and links the ones a browser can open', () => {
    const listed = [...page.matchAll(/<code>(\w+ \/__control\/[^<]*)<\/code>/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(CONTROL_ROUTE_NOTES).sort());
    expect(page).toContain('<a href="/__control/keys"><code>GET /__control/keys</code></a> — mchid');
    expect(page).toContain('<code>DELETE /__control/faults/:id</code> — removes one fault');
  });
});
