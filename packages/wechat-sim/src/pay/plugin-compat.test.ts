/**
 * The API's future client is wechatpay-axios-plugin 0.9.6; if it accepts the simulator's signatures
 * here, it will accept them there. Nothing in this file uses the simulator's own crypto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aes, Formatter, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { buildRequestPayment } from '../test-support/merchant-client.ts';
import { startNotifyReceiver } from '../test-support/notify-receiver.ts';
import { jsapiOrder, newOutTradeNo, startTestSim } from '../test-support/sim-fixture.ts';
import type { WechatSim } from '../wechat-sim.ts';

let sim: WechatSim;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(async () => {
  await sim.close();
});

function pluginClient(certs: Record<string, string>, timeout = 5000) {
  const wxpay = new Wechatpay({
    mchid: sim.keys.mchid,
    serial: sim.keys.merchantSerial,
    // PEM text, as the API will pass it; a bare file path would fail (plugin issue #65).
    privateKey: sim.keys.merchantPrivateKeyPem,
    certs: Object.fromEntries(
      Object.entries(certs).map(([serial, pem]) => [serial, Rsa.from(pem, Rsa.KEY_TYPE_PUBLIC)]),
    ),
    baseURL: `${sim.url}/`,
    timeout,
    proxy: false,
  });
  return wxpay.client.v3;
}

/** The AxiosError fields the API will branch on. */
function failureOf(error: unknown): { code?: string; status?: number; data?: { code?: string } } {
  const e = error as { code?: string; response?: { status?: number; data?: { code?: string } } };
  return { code: e.code, status: e.response?.status, data: e.response?.data };
}

describe('wechatpay-axios-plugin against the simulator', () => {
  it('creates, queries and closes an order in public-key mode', async () => {
    const api = pluginClient({ [sim.keys.pubKeyId]: sim.keys.pubKeyPem });
    // '|' is percent-encoded on the wire; the signature must cover the encoded form.
    const order = jsapiOrder(sim, { description: '套餐：面部护理 ×3', out_trade_no: `${newOutTradeNo('L')}|*-` });
    const created = await api.post('/v3/pay/transactions/jsapi', order);
    expect(created.status).toBe(200);
    // The verifier runs first on the raw text; axios's JSON transform then parses it.
    expect(created.data.prepay_id).toMatch(/^wx/);

    const queried = await api.get(`/v3/pay/transactions/out-trade-no/${order.out_trade_no}`, {
      params: { mchid: sim.keys.mchid },
    });
    expect(queried.data).toMatchObject({ trade_state: 'NOTPAY', out_trade_no: order.out_trade_no });

    const closed = await api.post(`/v3/pay/transactions/out-trade-no/${order.out_trade_no}/close`, {
      mchid: sim.keys.mchid,
    });
    expect(closed.status).toBe(204);
    expect(sim.order(order.out_trade_no)?.transaction.trade_state).toBe('CLOSED');
  });

  it('works in certificate mode with the X.509 certificate in certs', async () => {
    sim.setPayMode('cert');
    try {
      const api = pluginClient({ [sim.keys.platformSerial]: sim.keys.platformCertPem });
      const { data } = await api.get('/v3/certificates');
      const [entry] = data.data;
      const { ciphertext, nonce, associated_data } = entry.encrypt_certificate;
      expect(Aes.AesGcm.decrypt(ciphertext, sim.keys.apiV3Key, nonce, associated_data)).toBe(sim.keys.platformCertPem);
    } finally {
      sim.setPayMode('pubkey');
    }
  });

  it('surfaces errors and faults the way the API will see them', async () => {
    const api = pluginClient({ [sim.keys.pubKeyId]: sim.keys.pubKeyPem });
    const missing = await api
      .get(`/v3/pay/transactions/out-trade-no/${newOutTradeNo()}`, { params: { mchid: sim.keys.mchid } })
      .catch(failureOf);
    expect(missing).toMatchObject({ status: 404, data: { code: 'ORDER_NOT_EXIST' } });

    sim.faults.add({ kind: 'response-bad-signature', path: '/v3/pay/transactions/jsapi', times: 1 });
    const spoiled = await api.post('/v3/pay/transactions/jsapi', jsapiOrder(sim)).catch(failureOf);
    expect(spoiled).toMatchObject({ code: 'EV3_RES_HEADER_SIGNATURE_DIGEST' });

    sim.faults.add({ kind: 'response-clock-skew', skewSeconds: -301, times: 1 });
    const skewed = await api.get('/v3/certificates').catch(failureOf);
    expect(skewed).toMatchObject({ code: 'EV3_RES_HEADER_TIMESTAMP_OFFSET' });

    sim.faults.add({ kind: 'response-hang', path: '/v3/certificates', times: 1 });
    const impatient = pluginClient({ [sim.keys.pubKeyId]: sim.keys.pubKeyPem }, 300);
    const hung = await impatient.get('/v3/certificates').catch(failureOf);
    expect(hung).toMatchObject({ code: 'ECONNABORTED' });

    const unknownSerial = pluginClient({ PUB_KEY_ID_0000000000000000000000000000000: sim.keys.pubKeyPem });
    const rejected = await unknownSerial.get('/v3/certificates').catch(failureOf);
    expect(rejected).toMatchObject({ code: 'EV3_RES_HEADER_PLATFORM_SERIAL' });
  });

  it("its paySign is accepted, and its notify verification and decryption accept the simulator's notify", async () => {
    const receiver = await startNotifyReceiver();
    try {
      const api = pluginClient({ [sim.keys.pubKeyId]: sim.keys.pubKeyPem });
      const order = jsapiOrder(sim, { notify_url: receiver.url });
      const { prepay_id } = (await api.post('/v3/pay/transactions/jsapi', order)).data;
      const timeStamp = String(Formatter.timestamp());
      const nonceStr = Formatter.nonce();
      const pkg = `prepay_id=${prepay_id}`;
      const paySign = Rsa.sign(
        Formatter.joinedByLineFeed(order.appid, timeStamp, nonceStr, pkg),
        Rsa.from(sim.keys.merchantPrivateKeyPem, Rsa.KEY_TYPE_PRIVATE),
      );
      expect(
        sim.pay({ appid: order.appid, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign }),
      ).toMatchObject({ ok: true });

      const [notify] = await receiver.waitForCount(1);
      const header = (name: string) => String(notify?.headers[name]);
      const verified = Rsa.verify(
        Formatter.response(header('wechatpay-timestamp'), header('wechatpay-nonce'), notify?.body ?? ''),
        header('wechatpay-signature'),
        Rsa.from(sim.keys.pubKeyPem, Rsa.KEY_TYPE_PUBLIC),
      );
      expect(verified).toBe(true);
      const { resource } = JSON.parse(notify?.body ?? '{}');
      const transaction = JSON.parse(
        Aes.AesGcm.decrypt(resource.ciphertext, sim.keys.apiV3Key, resource.nonce, resource.associated_data),
      );
      expect(transaction).toMatchObject({ out_trade_no: order.out_trade_no, amount: { total: order.amount.total } });
      // Keep the helper honest: the independent builder produces the same message shape.
      expect(buildRequestPayment(order.appid, prepay_id, sim.keys.merchantPrivateKeyPem).package).toBe(pkg);
    } finally {
      await receiver.close();
    }
  });
});
