import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWechatSim } from '@lumi/wechat-sim';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../testing/harness.ts';
import { beijingRfc3339 } from './context.ts';
import { independentNotification, postNotification } from './independent-notify.ts';
import {
  getOrder,
  idempotencyKey,
  orderTopUp,
  type PaymentsKit,
  payInWechat,
  startPaymentsKit,
} from '../../testing/payments-kit.ts';
import {
  createWechatPayGateway,
  wechatPayCredentialsFromConfig,
  wechatPayGatewayFromConfig,
} from './wechat-pay-client.ts';

async function paid(kit: PaymentsKit, order: Awaited<ReturnType<typeof orderTopUp>>) {
  payInWechat(kit, order);
  return kit.sim.waitForNotification({ outTradeNo: order.outTradeNo, until: ['acked'], timeoutMs: 8_000 });
}

const pubKeys = (certs: Record<string, string>) =>
  Object.fromEntries(Object.entries(certs).filter(([serial]) => serial.startsWith('PUB_KEY_ID_')));

describe('verification keys and their rotation', () => {
  it('public-key mode: a new WeChat Pay public key is refused until configured, then both keys verify', async () => {
    const kit = await startPaymentsKit({ timeoutMs: 800 });
    try {
      const before = await orderTopUp(kit, { amountFen: 1_000 });
      expect((await paid(kit, before)).attempts[0]?.serial).toBe(kit.sim.keys.pubKeyId);
      const pending = await orderTopUp(kit, { amountFen: 2_000 });

      const rotated = await kit.sim.rotateKeys('pubkey');
      // WeChat now signs with a key the API was not given: nothing signed with it is believed.
      payInWechat(kit, pending);
      const refused = await kit.sim.waitForNotification({
        outTradeNo: pending.outTradeNo,
        until: ['pending'],
        minAttempts: 2,
      });
      expect(refused.attempts.every((a) => a.serial === rotated.serial && a.statusCode === 401)).toBe(true);
      const key = idempotencyKey();
      const blocked = await kit.app.inject({
        method: 'POST',
        url: '/me/payments/top-ups',
        headers: { ...kit.customerHeaders(), 'idempotency-key': key },
        payload: { amountFen: 3_000 },
      });
      expect(blocked.statusCode).toBe(502);
      expect((await getOrder(kit, pending.outTradeNo)).state).toBe('NOTPAY');

      // The operator adds the new key beside the old one (WECHAT_PAY_PLATFORM_KEYS) and redeploys.
      await kit.restart(pubKeys(kit.sim.certs()));
      await kit.sim.waitForNotification({ outTradeNo: pending.outTradeNo, until: ['acked'], timeoutMs: 8_000 });
      expect((await getOrder(kit, pending.outTradeNo)).state).toBe('SUCCESS');
      const retried = await orderTopUp(kit, { amountFen: 3_000 }, { key, status: 200 });
      expect(retried.requestPayment).not.toBeNull();
      expect((await paid(kit, retried)).attempts.at(-1)?.serial).toBe(rotated.serial);

      // A notification still signed with the old key (sent before the switch, delivered late) verifies too.
      const late = await orderTopUp(kit, { amountFen: 4_000 });
      const note = independentNotification({
        signingKeyPem: kit.sim.keys.pubKeyPrivatePem,
        serial: kit.sim.keys.pubKeyId,
        apiV3Key: kit.sim.keys.apiV3Key,
        transaction: {
          appid: kit.config.WECHAT_CUSTOMER_APPID,
          mchid: kit.sim.keys.mchid,
          out_trade_no: late.outTradeNo,
          transaction_id: `4200000001${Date.now()}`,
          trade_state: 'SUCCESS',
          amount: { total: 4_000 },
        },
      });
      expect((await postNotification(kit.notifyUrl, note)).status).toBe(204);
    } finally {
      await kit.close();
    }
  });

  it('certificate mode: a rotated platform certificate is downloaded, checked and trusted on first sight', async () => {
    const kit = await startPaymentsKit({
      payMode: 'cert',
      platformKeys: (sim) => ({ [sim.keys.platformSerial]: sim.keys.platformCertPem }),
    });
    try {
      const before = await orderTopUp(kit, { amountFen: 1_100 });
      expect((await paid(kit, before)).attempts[0]?.serial).toBe(kit.sim.keys.platformSerial);
      const pending = await orderTopUp(kit, { amountFen: 2_200 });

      const rotated = await kit.sim.rotateKeys('platform');
      const record = await paid(kit, pending);
      expect(record.attempts.map((a) => [a.serial, a.statusCode])).toEqual([[rotated.serial, 204]]);
      expect((await getOrder(kit, pending.outTradeNo)).state).toBe('SUCCESS');
      // API answers signed with the new certificate verify as well.
      expect((await orderTopUp(kit, { amountFen: 3_300 })).requestPayment).not.toBeNull();

      // A made-up certificate serial with a key of its own is not WeChat's, whatever it claims.
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const target = await orderTopUp(kit, { amountFen: 4_400 });
      const forged = independentNotification({
        signingKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        serial: '0123456789ABCDEF0123456789ABCDEF01234567',
        apiV3Key: kit.sim.keys.apiV3Key,
        transaction: {
          appid: kit.config.WECHAT_CUSTOMER_APPID,
          mchid: kit.sim.keys.mchid,
          out_trade_no: target.outTradeNo,
          trade_state: 'SUCCESS',
          amount: { total: 4_400 },
        },
      });
      expect((await postNotification(kit.notifyUrl, forged)).status).toBe(401);
      expect((await getOrder(kit, target.outTradeNo)).state).toBe('NOTPAY');
    } finally {
      await kit.close();
    }
  });

  it('during a migration holds both kinds of key and verifies whichever WeChat signs with', async () => {
    const kit = await startPaymentsKit({
      payMode: 'cert',
      platformKeys: (sim) => ({
        [sim.keys.platformSerial]: sim.keys.platformCertPem,
        [sim.keys.pubKeyId]: sim.keys.pubKeyPem,
      }),
    });
    try {
      const first = await orderTopUp(kit, { amountFen: 1_200 });
      expect((await paid(kit, first)).attempts[0]?.serial).toBe(kit.sim.keys.platformSerial);
      kit.sim.setPayMode('pubkey');
      const second = await orderTopUp(kit, { amountFen: 1_300 });
      expect((await paid(kit, second)).attempts[0]?.serial).toBe(kit.sim.keys.pubKeyId);
    } finally {
      await kit.close();
    }
  });
});

describe('WeChat Pay configuration', () => {
  it('reads the simulator key folder in development, explicit settings first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lumi-wechat-keys-'));
    const sim = await startWechatSim({ keysDir: dir, timeScale: 0.001 });
    try {
      const config = testConfig({ WECHAT_PAY_KEYS_DIR: dir, WECHAT_PAY_BASE: `${sim.url}/` });
      const credentials = wechatPayCredentialsFromConfig(config);
      expect(credentials).toMatchObject({ mchid: '1900000109', merchantSerial: sim.keys.merchantSerial });
      expect(Object.keys(credentials.platformKeys).sort()).toEqual([sim.keys.platformSerial, sim.keys.pubKeyId].sort());
      // Signed request accepted by the simulator, signed answer verified by the plugin.
      const gateway = createWechatPayGateway(credentials);
      const created = await gateway.createJsapiOrder({
        appid: config.WECHAT_CUSTOMER_APPID,
        mchid: credentials.mchid,
        description: '配置测试',
        out_trade_no: `LCFG${Date.now()}`,
        time_expire: beijingRfc3339(new Date(Date.now() + 600_000)),
        notify_url: config.WECHAT_PAY_NOTIFY_URL,
        amount: { total: 1, currency: 'CNY' },
        payer: { openid: 'openid-config-test' },
      });
      expect(created.prepay_id).toMatch(/^wx/);

      const explicit = wechatPayCredentialsFromConfig(
        testConfig({
          WECHAT_PAY_KEYS_DIR: dir,
          WECHAT_PAY_PLATFORM_KEYS: `${sim.keys.pubKeyId}=${join(dir, 'pub_key.pem')}`,
        }),
      );
      expect(Object.keys(explicit.platformKeys)).toEqual([sim.keys.pubKeyId]);
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts without keys outside production and refuses to pay until they are there', async () => {
    const gateway = wechatPayGatewayFromConfig(testConfig({ WECHAT_PAY_KEYS_DIR: '/nonexistent/lumi-keys' }));
    await expect(gateway.queryOrder('LWHATEVER01')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(await gateway.verificationKey('PUB_KEY_ID_0001')).toBeNull();
  });
});
