import { inject } from 'vitest';
import type { SimKeys } from '../keys/sim-keys.ts';
import { startWechatSim, type WechatSim, type WechatSimOptions } from '../wechat-sim.ts';
import type { MerchantCredentials } from './merchant-client.ts';

/** The key set global-keys.ts made once for the whole run. */
export function testKeys(): SimKeys {
  return inject('simKeys');
}

export function startTestSim(options: WechatSimOptions = {}): Promise<WechatSim> {
  return startWechatSim({ keys: testKeys(), timeScale: 0.001, ...options });
}

export function merchantOf(sim: WechatSim): MerchantCredentials {
  return { mchid: sim.keys.mchid, serial: sim.keys.merchantSerial, privateKeyPem: sim.keys.merchantPrivateKeyPem };
}

export const CUSTOMER_APPID = 'wx0000000000customer';
export const CUSTOMER_SECRET = 'customer-dev-secret';
export const STAFF_APPID = 'wx00000000000000staff';
export const STAFF_SECRET = 'staff-dev-secret';

let orderSequence = 0;
/** Unique per call and valid for out_trade_no (6–32 of [0-9A-Za-z_-|*]). */
export function newOutTradeNo(prefix = 'LUMI'): string {
  orderSequence += 1;
  return `${prefix}${Date.now()}_${orderSequence}`;
}

export function jsapiOrder(sim: WechatSim, overrides: Record<string, unknown> = {}) {
  return {
    appid: CUSTOMER_APPID,
    mchid: sim.keys.mchid,
    description: '面部护理 60 分钟',
    out_trade_no: newOutTradeNo(),
    notify_url: 'http://127.0.0.1:9/wechat/notify',
    amount: { total: 19800, currency: 'CNY' },
    payer: { openid: 'oCustomerOpenid000000000000' },
    ...overrides,
  };
}
