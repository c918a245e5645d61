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

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Real PostgreSQL when set; embedded PGlite under PGLITE_DIR otherwise. */
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    PGLITE_DIR: z.string().default('.data/pglite'),
    JWT_SECRET: z.string().min(32).default(DEV_JWT_SECRET),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** Comma-separated origins allowed to call the API from a browser (the H5 builds); * allows any in development. */
    CORS_ORIGINS: csv.default([]),
    /** Base URL of WeChat's mini-program server API (api.weixin.qq.com) — the simulator in development. */
    WECHAT_API_BASE: z.string().url().default('http://127.0.0.1:4010'),
    WECHAT_CUSTOMER_APPID: z.string().min(1).default('wx0000000000customer'),
    WECHAT_CUSTOMER_SECRET: z.string().min(1).default('customer-dev-secret'),
    WECHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000),
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
