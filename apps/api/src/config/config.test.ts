import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('config', () => {
  it('gives development defaults that point at the simulator and embedded Postgres', () => {
    const config = loadConfig({});
    expect(config.NODE_ENV).toBe('development');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.WECHAT_API_BASE).toBe('http://127.0.0.1:4010');
    expect(config.PORT).toBe(3000);
  });

  it('coerces numbers and splits lists', () => {
    const config = loadConfig({ PORT: '8080', CORS_ORIGINS: 'http://a.test, http://b.test' });
    expect(config.PORT).toBe(8080);
    expect(config.CORS_ORIGINS).toEqual(['http://a.test', 'http://b.test']);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const paths = (error as ConfigError).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    }
  });

  it('keeps the ledger posting slots within the connection pool', () => {
    expect(loadConfig({ LEDGER_POSTING_SLOTS: '4', DATABASE_POOL_MAX: '4' }).LEDGER_POSTING_SLOTS).toBe(4);
    try {
      loadConfig({ LEDGER_POSTING_SLOTS: '5', DATABASE_POOL_MAX: '4' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['LEDGER_POSTING_SLOTS']);
    }
  });

  const wechatPay = {
    WECHAT_PAY_BASE: 'https://api.mch.weixin.qq.com/',
    WECHAT_PAY_MERCHANT_SERIAL: '3775B6A45ACD588826D15E583A95F5DD2AA2D0C6',
    WECHAT_PAY_MERCHANT_KEY_PATH: '/etc/lumi/apiclient_key.pem',
    WECHAT_PAY_PLATFORM_KEYS:
      'PUB_KEY_ID_0114232134912410000000000000000=/etc/lumi/pub_key.pem, 5157F09EFDC096DE15EBE81A47057A7232F1B8E1=/etc/lumi/wechatpay_cert.pem',
    WECHAT_PAY_APIV3_KEY: 'a'.repeat(32),
    WECHAT_PAY_NOTIFY_URL: 'https://api.example.com/payments/wechat/notify',
  };

  it('requires real secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*JWT_SECRET/,
    );
    const ok = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a'.repeat(40),
      DATABASE_URL: 'postgres://u@db.internal:5432/lumi',
      WECHAT_CUSTOMER_SECRET: 'real-secret',
      WECHAT_STAFF_SECRET: 'real-staff-secret',
      CORS_ORIGINS: 'https://h5.example.com',
      ...wechatPay,
    });
    expect(ok.NODE_ENV).toBe('production');
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'a'.repeat(40),
        DATABASE_URL: 'postgres://u@db.internal:5432/lumi',
        WECHAT_CUSTOMER_SECRET: 'real-secret',
        CORS_ORIGINS: 'https://h5.example.com',
        ...wechatPay,
      }),
    ).toThrow(/WECHAT_STAFF_SECRET/);
    expect(ok.WECHAT_PAY_PLATFORM_KEYS).toEqual({
      PUB_KEY_ID_0114232134912410000000000000000: '/etc/lumi/pub_key.pem',
      '5157F09EFDC096DE15EBE81A47057A7232F1B8E1': '/etc/lumi/wechatpay_cert.pem',
    });
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'a'.repeat(40),
        DATABASE_URL: 'postgres://u@h/d',
        WECHAT_CUSTOMER_SECRET: 's',
        CORS_ORIGINS: '*',
        ...wechatPay,
      }),
    ).toThrow(/CORS_ORIGINS/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'a'.repeat(40),
        DATABASE_URL: 'postgres://u@h/d',
        WECHAT_CUSTOMER_SECRET: 's',
        CORS_ORIGINS: 'https://h5.example.com',
        ...wechatPay,
        WECHAT_PAY_NOTIFY_URL: 'http://api.example.com/notify',
      }),
    ).toThrow(/WECHAT_PAY_NOTIFY_URL/);
    expect(() => loadConfig({ WECHAT_PAY_PLATFORM_KEYS: 'not-a-pair' })).toThrow(/WECHAT_PAY_PLATFORM_KEYS/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});
