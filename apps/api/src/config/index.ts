import { z } from 'zod';

/**
 * The only reader of process.env. Everything the API needs from its environment is declared here, parsed
 * once at start-up, and passed down explicitly. In production every secret must be given; in development
 * and tests the defaults point at the loopback WeChat simulator and an embedded database.
 */
const DEV_JWT_SECRET = 'lumi-dev-only-jwt-secret-change-me-0123456789';

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** `serial=path` pairs, comma-separated, e.g. `PUB_KEY_ID_0114…=/etc/lumi/pub_key.pem,5157F0…=/etc/lumi/cert.pem`. */
const serialPaths = z.string().transform((s, ctx) => {
  const map: Record<string, string> = {};
  for (const item of s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const at = item.indexOf('=');
    const serial = item.slice(0, at).trim();
    const path = item.slice(at + 1).trim();
    if (at <= 0 || !path || !/^(PUB_KEY_ID_[0-9A-Za-z_]+|[0-9A-Fa-f]{8,40})$/.test(serial)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${item}" is not serial=path (PUB_KEY_ID_… or a hex certificate serial)`,
      });
      continue;
    }
    map[serial] = path;
  }
  return map;
});

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Real PostgreSQL when set; embedded PGlite under PGLITE_DIR otherwise. */
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /**
     * Ledger transactions one API process keeps in flight; postings arriving meanwhile commit together in the
     * next one (PostingBatches). About the database's cores over the API processes; at most DATABASE_POOL_MAX.
     */
    LEDGER_POSTING_SLOTS: z.coerce.number().int().min(1).max(64).default(2),
    PGLITE_DIR: z.string().default('.data/pglite'),
    /** `npm start` only: where seeded demo databases are kept, and a hash of the code they are seeded from. */
    DEMO_CACHE_DIR: z.string().min(1).optional(),
    DEMO_SOURCE_HASH: z.string().min(1).optional(),
    JWT_SECRET: z.string().min(32).default(DEV_JWT_SECRET),
    /** How long a member code (the QR the customer shows at the till) stays valid; the app refreshes it. */
    MEMBER_CODE_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** Comma-separated origins allowed to call the API from a browser (the H5 builds); * allows any in development. */
    CORS_ORIGINS: csv.default([]),
    /** Base URL of WeChat's mini-program server API (api.weixin.qq.com) — the simulator in development. */
    WECHAT_API_BASE: z.string().url().default('http://127.0.0.1:4010'),
    WECHAT_CUSTOMER_APPID: z.string().min(1).default('wx0000000000customer'),
    WECHAT_CUSTOMER_SECRET: z.string().min(1).default('customer-dev-secret'),
    /**
     * Which version of the customer mini-program the counter's 小程序码 opens. release (production) has WeChat
     * check the page is released; trial and develop codes open those versions and skip the check.
     */
    WECHAT_CODE_ENV_VERSION: z.enum(['release', 'trial', 'develop']).default('release'),
    WECHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000),
    /** The staff mini-program: managers bind their WeChat to get 审批 alerts as subscribe messages. */
    WECHAT_STAFF_APPID: z.string().min(1).default('wx00000000000000staff'),
    WECHAT_STAFF_SECRET: z.string().min(1).default('staff-dev-secret'),
    /** Staff subscribe-message template: something new waits in the 审批 inbox (keys thing1, thing2, time3, character_string4). */
    WECHAT_TEMPLATE_APPROVAL_WAITING: z.string().min(1).max(128).default('sim-approval-waiting'),
    /**
     * Subscribe-message templates of the customer mini-program for credit reminders (before/on the due date,
     * overdue, near or over the limit). The simulator knows any id starting with `sim-`; set the ids registered in
     * the WeChat console in production (a wrong id fails the send and the reminder falls back to SMS).
     */
    WECHAT_TEMPLATE_CREDIT_DUE: z.string().min(1).max(128).default('sim-credit-due'),
    WECHAT_TEMPLATE_CREDIT_OVERDUE: z.string().min(1).max(128).default('sim-credit-overdue'),
    WECHAT_TEMPLATE_CREDIT_LIMIT: z.string().min(1).max(128).default('sim-credit-limit'),
    /** SMS fallback for customer messages. Only the recording sink (table sms_messages) exists so far. */
    SMS_PROVIDER: z.enum(['recording']).default('recording'),
    /** Subscribe-message template for tier upgrades and downgrades (segmentation). */
    WECHAT_TEMPLATE_TIER_CHANGE: z.string().min(1).max(128).default('sim-tier-change'),
    /** Subscribe-message templates for bill events (checkout); docs/checkout.md lists the keys each must have. */
    WECHAT_TEMPLATE_BILL_TO_CONFIRM: z.string().min(1).max(128).default('sim-bill-to-confirm'),
    WECHAT_TEMPLATE_BILL_SETTLED: z.string().min(1).max(128).default('sim-bill-settled'),
    WECHAT_TEMPLATE_BILL_VOIDED: z.string().min(1).max(128).default('sim-bill-voided'),
    WECHAT_TEMPLATE_BILL_REFUNDED: z.string().min(1).max(128).default('sim-bill-refunded'),
    WECHAT_TEMPLATE_DISPUTE_ANSWERED: z.string().min(1).max(128).default('sim-dispute-answered'),
    /** Subscribe-message template of wake-up campaigns that do not name their own (segmentation). */
    WECHAT_TEMPLATE_CAMPAIGN: z.string().min(1).max(128).default('sim-campaign'),
    /** Customers the campaign send job handles per batch (each batch renews the campaign's lease). */
    SEGMENTATION_CAMPAIGN_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(200),
    /** WeChat Pay API v3 (api.mch.weixin.qq.com) — the simulator in development. */
    WECHAT_PAY_BASE: z.string().url().default('http://127.0.0.1:4010/'),
    WECHAT_PAY_MCHID: z
      .string()
      .regex(/^\d{6,32}$/)
      .default('1900000109'),
    /**
     * Development only: a simulator key folder (its keys.json layout) that supplies every WECHAT_PAY_* key setting
     * below that is not given explicitly. Production reads only the explicit settings.
     */
    WECHAT_PAY_KEYS_DIR: z.string().default('.data/wechat-keys'),
    /** Serial of the merchant API certificate (apiclient_cert.pem), sent with every request. */
    WECHAT_PAY_MERCHANT_SERIAL: z
      .string()
      .regex(/^[0-9A-Fa-f]{8,40}$/)
      .optional(),
    /** Path of the merchant private key (apiclient_key.pem): signs requests and paySign. */
    WECHAT_PAY_MERCHANT_KEY_PATH: z.string().optional(),
    /**
     * The keys that verify WeChat's responses and notifications, chosen by the Wechatpay-Serial header: the WeChat
     * Pay public key (`PUB_KEY_ID_…=pub_key.pem`) and/or platform certificates (`<40 hex>=wechatpay_cert.pem`).
     * List old and new keys together during a rotation or a migration between the two modes.
     */
    WECHAT_PAY_PLATFORM_KEYS: serialPaths.optional(),
    /** The 32-character APIv3 key: decrypts notification resources and downloaded platform certificates. */
    WECHAT_PAY_APIV3_KEY: z.string().length(32).optional(),
    /** Public URL of POST /payments/wechat/notify (WeChat requires https and no query string). */
    WECHAT_PAY_NOTIFY_URL: z.string().url().default('http://127.0.0.1:3000/payments/wechat/notify'),
    /** time_expire of a JSAPI order; a prepay_id lives 2 h, so the order must expire before that. */
    WECHAT_PAY_ORDER_TTL_MINUTES: z.coerce.number().int().min(5).max(115).default(30),
    WECHAT_PAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
    /** Reconciliation queries an order that has had no notification for this long. */
    WECHAT_PAY_QUERY_AFTER_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    STAFF_LOCKOUT_FAILURES: z.coerce.number().int().min(1).default(5),
    STAFF_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
    /** Run scheduled jobs (expiry, reminders, reconciliation) in this process. */
    JOBS_ENABLED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(256 * 1024),
  })
  .superRefine((env, ctx) => {
    if (env.LEDGER_POSTING_SLOTS > env.DATABASE_POOL_MAX) {
      // Every slot holds a pooled connection while it posts; more slots than connections would starve reads.
      ctx.addIssue({
        code: 'custom',
        path: ['LEDGER_POSTING_SLOTS'],
        message: 'must not exceed DATABASE_POOL_MAX',
      });
    }
    if (env.NODE_ENV !== 'production') return;
    if (env.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must be set in production' });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'must be set in production' });
    }
    if (env.CORS_ORIGINS.includes('*')) {
      ctx.addIssue({
        code: 'custom',
        path: ['CORS_ORIGINS'],
        message: 'list the allowed origins; * is for development',
      });
    }
    if (env.WECHAT_CUSTOMER_SECRET === 'customer-dev-secret') {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_CUSTOMER_SECRET'], message: 'must be set in production' });
    }
    if (env.WECHAT_STAFF_SECRET === 'staff-dev-secret') {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_STAFF_SECRET'], message: 'must be set in production' });
    }
    // WeChat Pay keys come from explicit settings in production, never from a simulator key folder.
    for (const key of [
      'WECHAT_PAY_MERCHANT_SERIAL',
      'WECHAT_PAY_MERCHANT_KEY_PATH',
      'WECHAT_PAY_APIV3_KEY',
      'WECHAT_PAY_PLATFORM_KEYS',
    ] as const) {
      const value = env[key];
      if (value === undefined || (typeof value === 'object' && Object.keys(value).length === 0)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be set in production' });
      }
    }
    for (const key of ['WECHAT_PAY_BASE', 'WECHAT_PAY_NOTIFY_URL'] as const) {
      if (!env[key].startsWith('https://')) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be an https URL in production' });
      }
    }
  });

export type AppConfig = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`Invalid environment:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return parsed.data;
}
