import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson } from '../test-support/read-json.ts';
import { CUSTOMER_APPID, CUSTOMER_SECRET, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';
import { readCodeImageText } from './code-image.ts';

let sim: WechatSim;
let token = '';
beforeAll(async () => {
  sim = await startTestSim();
  sim.publishPages(CUSTOMER_APPID, ['wallet/pay/index', 'pages/index/index']);
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

const codeOf = (body: unknown, accessToken = token) =>
  fetch(`${sim.url}/wxa/getwxacodeunlimit?access_token=${accessToken}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function errcodeOf(body: unknown, accessToken = token): Promise<number> {
  const response = await codeOf(body, accessToken);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/json');
  return (await readJson(response)).errcode;
}

describe('getwxacodeunlimit', () => {
  it('answers an image for a published page and records what a scan opens', async () => {
    const response = await codeOf({ scene: 'pay=L20261207A1B2C3', page: 'wallet/pay/index', width: 300 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const image = Buffer.from(await response.arrayBuffer());
    expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(image.readUInt32BE(16)).toBe(300); // IHDR width
    expect(readCodeImageText(image)).toEqual({ scene: 'pay=L20261207A1B2C3', page: 'wallet/pay/index' });
    expect(sim.miniProgramCodes({ scene: 'pay=L20261207A1B2C3' })).toMatchObject([
      { appid: CUSTOMER_APPID, page: 'wallet/pay/index', checkPath: true, envVersion: 'release', width: 300 },
    ]);
    const control = await fetch(`${sim.url}/__control/wxacodes?scene=${encodeURIComponent('pay=L20261207A1B2C3')}`);
    expect(await readJson(control)).toHaveLength(1);
  });

  it('clamps the width to 280–1280 and draws the home page without a page', async () => {
    const response = await codeOf({ scene: 'a=1', width: 5000 });
    const image = Buffer.from(await response.arrayBuffer());
    expect(image.readUInt32BE(16)).toBe(1280);
    expect(sim.miniProgramCodes({ scene: 'a=1' })[0]?.page).toBe('');
  });

  it('refuses a bad token, scene, page or env_version with WeChat errcodes and draws nothing', async () => {
    const before = sim.miniProgramCodes().length;
    expect(await errcodeOf({ scene: 'a=1' }, 'not-a-token')).toBe(40001);
    expect(await errcodeOf({ page: 'wallet/pay/index' })).toBe(40169);
    expect(await errcodeOf({ scene: 'x'.repeat(33) })).toBe(40169);
    expect(await errcodeOf({ scene: '中文' })).toBe(40129);
    expect(await errcodeOf({ scene: 'a%20b' })).toBe(40129);
    expect(await errcodeOf({ scene: 'a=1', page: '/wallet/pay/index' })).toBe(41030);
    expect(await errcodeOf({ scene: 'a=1', page: 'wallet/pay/index?o=1' })).toBe(41030);
    expect(await errcodeOf({ scene: 'a=1', page: 'not/released' })).toBe(41030);
    expect(await errcodeOf({ scene: 'a=1', env_version: 'beta' })).toBe(40097);
    expect(await errcodeOf({ scene: 'a=1', width: 'wide' })).toBe(47001);
    expect(sim.miniProgramCodes()).toHaveLength(before);
  });

  it('draws an unreleased page with check_path false, for trial and develop versions', async () => {
    const response = await codeOf({ scene: 'a=2', page: 'not/released', check_path: false, env_version: 'develop' });
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(sim.miniProgramCodes({ scene: 'a=2' })[0]).toMatchObject({ checkPath: false, envVersion: 'develop' });
  });
});
