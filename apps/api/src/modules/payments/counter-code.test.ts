import { COUNTER_PAYMENT_PAGE, outTradeNoOfScene } from '@lumi/shared';
import { readCodeImageText } from '@lumi/wechat-sim';
import { describe, expect, it } from 'vitest';
import {
  getOrder,
  openCounterTopUp as openCounterTopUpFor,
  payInWechat,
  usePaymentsKit,
  wallet,
} from '../../testing/payments-kit.ts';

const kit = usePaymentsKit();

const customerId = () => kit.t.customers[0]?.id ?? '';

const openCounterTopUp = async (amountFen: number) =>
  (await openCounterTopUpFor(kit, { storeId: kit.t.storeIds[0], amountFen })).outTradeNo;

const readCode = (outTradeNo: string, headers = kit.beauticianHeaders()) =>
  kit.app.inject({
    method: 'GET',
    url: `/staff/customers/${customerId()}/wechat-top-ups/${outTradeNo}/code`,
    headers,
  });

const imageOf = (dataUrl: string) => Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');

describe('the counter 小程序码, drawn by WeChat (the simulator) through the API', () => {
  it('serves the code for the order, asks WeChat once while the order lives, and the scan opens that order', async () => {
    const outTradeNo = await openCounterTopUp(20_000);
    const first = await readCode(outTradeNo);
    expect(first.statusCode, first.body).toBe(200);
    const code = first.json();
    expect(code).toMatchObject({ outTradeNo, scene: `pay=${outTradeNo}`, page: COUNTER_PAYMENT_PAGE });
    expect(code.scene.length).toBeLessThanOrEqual(32);
    expect(code.imageDataUrl).toMatch(/^data:image\/png;base64,/);
    // What WeChat drew, and what its scanner would hand the customer app.
    expect(readCodeImageText(imageOf(code.imageDataUrl))).toEqual({ scene: code.scene, page: COUNTER_PAYMENT_PAGE });
    expect(kit.sim.miniProgramCodes({ scene: code.scene })).toMatchObject([
      { appid: kit.config.WECHAT_CUSTOMER_APPID, page: COUNTER_PAYMENT_PAGE, checkPath: true, envVersion: 'release' },
    ]);
    // The screen re-renders, the beautician reopens it: WeChat is not asked again.
    expect((await readCode(outTradeNo)).json().imageDataUrl).toBe(code.imageDataUrl);
    expect(kit.sim.miniProgramCodes({ scene: code.scene })).toHaveLength(1);

    // Her phone: WeChat hands the page the scene URL-encoded; the app finds the order and pays it.
    expect(outTradeNoOfScene(encodeURIComponent(code.scene))).toBe(outTradeNo);
    const mine = await getOrder(kit, outTradeNoOfScene(encodeURIComponent(code.scene)) ?? '');
    payInWechat(kit, mine);
    await kit.sim.waitForNotification({ outTradeNo, until: ['acked'] });
    expect((await wallet(kit)).principalFen).toBeGreaterThanOrEqual(20_000);
    // A paid order has no code to show.
    const paid = await readCode(outTradeNo);
    expect(paid.statusCode).toBe(409);
    expect(paid.json().error.code).toBe('CONFLICT');
  });

  it('turns WeChat refusing the page into 502 WECHAT_CODE_REFUSED with its errcode, and draws once it is released', async () => {
    const outTradeNo = await openCounterTopUp(10_000);
    kit.sim.publishPages(kit.config.WECHAT_CUSTOMER_APPID, []);
    try {
      const refused = await readCode(outTradeNo);
      expect(refused.statusCode).toBe(502);
      expect(refused.json().error).toMatchObject({ code: 'WECHAT_CODE_REFUSED', details: { errcode: 41030 } });
    } finally {
      kit.sim.publishPages(kit.config.WECHAT_CUSTOMER_APPID, [COUNTER_PAYMENT_PAGE]);
    }
    // Nothing was cached from the refusal.
    expect((await readCode(outTradeNo)).statusCode).toBe(200);
  });

  // WeChat hangs past WECHAT_TIMEOUT_MS (5 s): the test waits that long.
  it('answers 502 WECHAT_UNAVAILABLE when WeChat fails or hangs, never a 500', { timeout: 60_000 }, async () => {
    const outTradeNo = await openCounterTopUp(10_000);
    kit.sim.faults.add({ kind: 'response-error', path: '/wxa/getwxacodeunlimit', status: 500, times: 1 });
    const failing = await readCode(outTradeNo);
    expect(failing.statusCode).toBe(502);
    expect(failing.json().error.code).toBe('WECHAT_UNAVAILABLE');
    kit.sim.faults.add({ kind: 'response-hang', path: '/wxa/getwxacodeunlimit', hangMs: 20_000, times: 1 });
    const hanging = await readCode(outTradeNo);
    expect(hanging.statusCode).toBe(502);
    expect(hanging.json().error.code).toBe('WECHAT_UNAVAILABLE');
    expect((await readCode(outTradeNo)).statusCode).toBe(200);
  });

  it("keeps another store's staff and unknown orders out", async () => {
    const outTradeNo = await openCounterTopUp(10_000);
    expect((await readCode('L00000000000000NOSUCHORDER')).statusCode).toBe(404);
    const stranger = kit.app.jwt.sign({
      kind: 'staff',
      sub: kit.t.beautician.id,
      tenantId: kit.t.tenantId,
      role: 'beautician',
      storeIds: [kit.t.storeIds[1] ?? ''],
    });
    expect((await readCode(outTradeNo, { authorization: `Bearer ${stranger}` })).statusCode).toBe(404);
  });
});
